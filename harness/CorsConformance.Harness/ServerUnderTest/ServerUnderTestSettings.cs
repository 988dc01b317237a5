using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.ServerUnderTest;

/// <summary>One route of the server under test: its name (the policy's `resources` entry, or the target's path), its URL,
/// and the policy as it applies there (the route's own methods).</summary>
public sealed record ServerRoute(string Name, Uri Url, CorsPolicy Policy);

/// <summary>
/// Where the server under test is and what it intends: `TargetUrl` (the server's URL: the resource the front end calls,
/// or the base the policy's `resources` paths are resolved against), `PolicyPath` (the policy file), and for a server
/// behind a login `AuthHeaders` and `CookieJar`, from the environment (CORS_TARGET_URL, CORS_POLICY_PATH,
/// CORS_AUTH_HEADERS, CORS_COOKIE_JAR) over runsettings TestRunParameters. A missing or malformed setting fails fast
/// with a message that names it.
/// </summary>
public sealed record ServerUnderTestSettings(Uri Target, CorsPolicy Policy, string PolicyPath, TimeSpan Timeout)
{
    public const string TargetUrlKey = "TargetUrl";
    public const string PolicyPathKey = "PolicyPath";
    public const string TimeoutKey = "TimeoutSeconds";
    public const string AuthHeadersKey = "AuthHeaders";
    public const string CookieJarKey = "CookieJar";
    public const string AcceptAnyCertificateKey = "AcceptAnyCertificate";

    /// <summary>The shortest per-request timeout: below a millisecond every case would be a harness error "too slow".</summary>
    public static readonly TimeSpan MinTimeout = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest per-request timeout (an hour): the page waits twice it for a preflighted call, and a browser's
    /// setTimeout past 2^31 - 1 ms fires at once.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromHours(1);

    /// <summary>Why a per-request timeout cannot be kept, or null: one rule for TimeoutSeconds and CorsTarget.Timeout.</summary>
    public static string? TimeoutProblem(TimeSpan timeout) =>
        timeout < MinTimeout || timeout > MaxTimeout ? $"{timeout} is not a time from 1 ms to 1 hour" : null;

    public static string EnvironmentName(string key) => key switch
    {
        TargetUrlKey => "CORS_TARGET_URL",
        PolicyPathKey => "CORS_POLICY_PATH",
        TimeoutKey => "CORS_TIMEOUT_SECONDS",
        AuthHeadersKey => "CORS_AUTH_HEADERS",
        CookieJarKey => "CORS_COOKIE_JAR",
        AcceptAnyCertificateKey => "CORS_ACCEPT_ANY_CERTIFICATE",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not a server-under-test setting"),
    };

    /// <summary>Headers and cookies the credentialed cases carry (none unless AuthHeaders or CookieJar is set).</summary>
    public Authentication Authentication { get; init; } = Authentication.None;

    /// <summary>Whether a server's TLS certificate that browsers do not trust (a staging server's self-signed one) is accepted
    /// on purpose: without it, such a server's cases are harness errors naming the certificate and its protocol checks not
    /// checked, since the suite's own browsers accept any certificate and your users' refuse it.</summary>
    public bool AcceptAnyCertificate { get; init; }

    /// <summary>The routes to check: the policy's `resources` resolved against the target, or the target alone.</summary>
    public IReadOnlyList<ServerRoute> Routes =>
        Policy.Routes.Count == 0
            ? [new ServerRoute(Target.AbsolutePath, Target, Policy)]
            : Policy.Routes.Select(r => new ServerRoute(r.Path, r.Resolve(Target), Policy.ForRoute(r))).ToList();

    /// <summary>Every case of every route, named after its route (tests group by it), with the credentialed ones carrying
    /// the authentication headers (as placeholders).</summary>
    public IReadOnlyList<PolicyCase> Cases()
    {
        // Every route's methods, gathered once: per route, they made case generation grow with the square of the routes.
        var elsewhere = Routes.SelectMany(r => r.Policy.AllowedMethods).Distinct(StringComparer.Ordinal).ToList();
        return Routes.SelectMany(route => PolicyCases.Generate(route.Policy, route.Url, elsewhere)
            .Select(c => Authentication.Apply(c with { Id = $"{route.Name} {c.Id}", Title = $"{route.Name}: {c.Title}", Route = route.Name })))
            .ToList();
    }

    /// <summary>Whether a target is configured at all (else the suite proves itself on its own fixture server).</summary>
    public static bool IsConfigured(Func<string, string?> parameters) => Lookup(parameters, TargetUrlKey) is not null;

    public static ServerUnderTestSettings Load(Func<string, string?> parameters)
    {
        var targetText = Lookup(parameters, TargetUrlKey)
            ?? throw new SettingException(TargetUrlKey, "is not set: give the URL of the resource your front end calls");
        // One reading of the URL with the reason it is refused: a host no browser opens (999.1.1.1, a 64-character label)
        // passed and made every case a harness error mid-run; one .NET cannot parse was said "not a URL" without why.
        if (ResourceUrl.Problem(targetText, out var parsed) is { } problem) throw new SettingException(TargetUrlKey, problem);
        var target = parsed!;
        var policyPath = Lookup(parameters, PolicyPathKey)
            ?? throw new SettingException(PolicyPathKey, "is not set: give the path of your policy file (JSON)");
        policyPath = Resolve(policyPath);
        if (!File.Exists(policyPath)) throw new SettingException(PolicyPathKey, Directory.Exists(policyPath) ? $"'{policyPath}' is a folder, not a file" : $"'{policyPath}' does not exist");
        CorsPolicy policy;
        try
        {
            // Read as every input file is (InputText): strict UTF-8, bounded, and a named pipe or /dev/zero refused.
            policy = PolicyReader.Read(InputText.Read(policyPath), policyPath);
        }
        catch (Exception e) when (e is PolicyException or InputFileException)
        {
            throw new SettingException(PolicyPathKey, e.Message);
        }
        var timeoutText = Lookup(parameters, TimeoutKey) ?? "10";
        // Float alone: the invariant culture's thousands separator read "1,5" as 15. NaN, Infinity and 1e308 parse, and
        // TimeSpan throws on them; past an hour CancelAfter and the page's setTimeout (2^31 - 1 ms) are not far off.
        if (!double.TryParse(timeoutText, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            || !double.IsFinite(seconds) || TimeoutProblem(TimeSpan.FromSeconds(Math.Clamp(seconds, -1, MaxTimeout.TotalSeconds + 1))) is not null)
        {
            throw new SettingException(TimeoutKey, $"'{timeoutText}' is not a number of seconds from {MinTimeout.TotalSeconds} to {MaxTimeout.TotalSeconds:F0}");
        }
        var acceptText = Lookup(parameters, AcceptAnyCertificateKey) ?? "false";
        if (!bool.TryParse(acceptText, out var acceptAnyCertificate))
        {
            throw new SettingException(AcceptAnyCertificateKey, $"'{acceptText}' is not true or false");
        }
        var settings = new ServerUnderTestSettings(target, policy, policyPath, TimeSpan.FromSeconds(seconds)) { AcceptAnyCertificate = acceptAnyCertificate };
        return settings with
        {
            Authentication = Authentication.Load(Lookup(parameters, AuthHeadersKey), Lookup(parameters, CookieJarKey),
                settings.Routes.Select(r => r.Policy), Environment.GetEnvironmentVariable),
        };
    }

    /// <summary>An absolute path as it is; a relative one against the current directory, else the repository root (the
    /// folder that holds CorsConformance.sln above the test assembly).</summary>
    public static string Resolve(string path)
    {
        if (Path.IsPathRooted(path) || File.Exists(path)) return Path.GetFullPath(path);
        return RepositoryLayout.Root() is { } root ? Path.Combine(root, path) : Path.GetFullPath(path);
    }

    private static string? Lookup(Func<string, string?> parameters, string key) =>
        Environment.GetEnvironmentVariable(EnvironmentName(key)) is { Length: > 0 } env ? env
        : parameters(key) is { Length: > 0 } value ? value : null;
}

/// <summary>A server-under-test setting that is missing or malformed; the message names the setting and where to set it.</summary>
public sealed class SettingException(string key, string problem)
    : Exception($"Setting '{key}' (TestRunParameters or {ServerUnderTestSettings.EnvironmentName(key)}) {problem}.")
{
    public string Key { get; } = key;

    /// <summary>None: the message names the setting, the file and the field, which is all a user can act on; NUnit printed
    /// the suite's own frames under it, a stack trace for a bad input (every fixture that loads the settings shows it).</summary>
    public override string? StackTrace => null;
}
