using System.CommandLine;
using CorsConformance.Harness.Audit;
using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Running;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Cli;

/// <summary>`cors-conformance audit`: probes one URL with forged origins for CORS misconfigurations.</summary>
internal static class AuditCommand
{
    private const int FindingAtThreshold = 4;
    private const int NotChecked = 5;

    private sealed record Request(Uri Target, string? Origin, string? Json, string? Sarif, Severity? FailOn, bool Confirm, bool Insecure, bool PrintJson, EngineSelection Engines)
    {
        /// <summary>Whether the audit sends POSTs (not with --no-post).</summary>
        public bool Post { get; init; } = true;
    }

    public static Command Create()
    {
        var url = new Argument<Uri>("URL")
        {
            Description = "The resource to probe, http or https.",
            CustomParser = result =>
            {
                var value = result.Tokens.Single().Value;
                // The probes send no credentials from the URL (an HTTP client does not turn user:pass@ into
                // Authorization), while the printed curl commands would, and the header, the JSON and SARIF would
                // carry the password: refused rather than audited as something else and echoed.
                var authority = value.Contains("://", StringComparison.Ordinal) ? value[(value.IndexOf("://", StringComparison.Ordinal) + 3)..].Split('/', '?', '#', '\\')[0] : "";
                if (Uri.TryCreate(value, UriKind.Absolute, out var raw) && raw.UserInfo.Length > 0 || authority.Contains('@'))
                {
                    result.AddError("audit sends no credentials from the URL: give it without user:pass@ (the findings would otherwise print the password, and curl would send what the probes did not)");
                    return null;
                }
                // One reading with the reason, as for a server under test's URL: port 0 (every probe unanswered, "not
                // checked"), a host .NET takes and no browser opens (http://999.1.1.1/: every probe went to DNS), and one
                // .NET cannot parse, which was only "audit needs one http(s) URL" without saying what was wrong with it.
                if (ResourceUrl.Problem(value, out var uri) is { } problem)
                {
                    result.AddError($"audit needs one http(s) URL: {problem}. Usage: cors-conformance audit https://api.example.com/resource [--origin https://app.example.com]");
                    return null;
                }
                return uri;
            },
        };
        var origin = new Option<string?>("--origin")
        {
            Description = "The origin your front end really uses (default: the URL's own origin, said so).",
            HelpName = "TRUSTED",
            // An origin is a scheme, a host and a port: the probes are forged from its host, and the Origin header carries it
            // as it is, so a path, a user name or a character no header may hold would be sent to the server verbatim.
            CustomParser = result =>
            {
                var value = result.Tokens.Single().Value;
                if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Port != 0 && uri.UserInfo.Length == 0
                    && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && !value.Any(char.IsControl))
                {
                    // .NET takes 999.1.1.1 and xn--zz for host names; browsers refuse such a URL, so no page sends that Origin.
                    if (OriginSyntax.HostProblem(uri.HostNameType == UriHostNameType.IPv6 ? uri.Host : uri.IdnHost) is not { } problem) return OriginSyntax.Of(uri);
                    result.AddError($"--origin '{value}' is not an origin a browser can have: {problem}");
                    return null;
                }
                result.AddError($"--origin '{value}' is not an origin: give http(s)://host[:port], no path, user name, query or fragment (e.g. https://app.example.com)");
                return null;
            },
        };
        var json = SharedOptions.Out("Write the findings as JSON to this file.", "findings.json");
        var sarif = new Option<string?>("--sarif") { Description = "Write the findings as SARIF 2.1.0 to this file.", HelpName = "findings.sarif" };
        var failOn = new Option<Severity?>("--fail-on")
        {
            Description = $"Exit {FindingAtThreshold} when a finding is at or above this severity.",
            HelpName = "info|low|medium|high",
            // The enum's own parse took numbers and flag lists: `--fail-on 4` (no such severity) never failed, and
            // `--fail-on -1` or `high,low` failed on what was not asked for. Only the four words.
            CustomParser = result =>
            {
                var value = result.Tokens.Single().Value;
                foreach (var severity in Enum.GetValues<Severity>())
                {
                    if (severity.ToString().Equals(value, StringComparison.OrdinalIgnoreCase)) return severity;
                }
                result.AddError($"--fail-on takes info, low, medium or high, not '{value}'");
                return null;
            },
        };
        var noBrowser = new Option<bool>("--no-browser") { Description = "Do not confirm findings in real browsers." };
        var noPost = new Option<bool>("--no-post") { Description = "Send no POST (a POST may act on the server: create a record, send a mail); the scope then says a server trusting an origin on POST alone is not found." };
        var insecure = new Option<bool>("--insecure") { Description = "Accept a self-signed certificate (a staging server)." };
        var printJson = new Option<bool>("--json") { Description = "Also print the findings as JSON." };
        var engines = SharedOptions.Engines("The engines that confirm findings: all (the default), or a comma list of chromium, firefox, webkitgtk. A named engine that cannot launch fails the audit.");
        var command = new DocumentedCommand("audit", "Probes URL with forged origins for CORS misconfigurations, rated by what an attacker gains, and confirms each finding above informational in real browsers from a page at the attacker's origin.",
            (0, "no finding at or above --fail-on (or no --fail-on), and every defect checked"),
            (1, "browser confirmation was needed and an engine named with --engines cannot launch, or none can (the findings are still printed and written; 1 wins over 4 and 5)"),
            (2, "bad usage"),
            (FindingAtThreshold, "a finding at or above --fail-on (4 wins over 5)"),
            (NotChecked, "no such finding, but a defect was not checked: a probe it needs got no answer after one retry (--insecure for a self-signed staging server), or the server does not admit --origin itself"))
        {
            url, origin, json, sarif, failOn, noBrowser, noPost, insecure, printJson, engines,
        };
        command.SetAction(parse => RunAsync(
            new Request(parse.GetValue(url)!, parse.GetValue(origin), parse.GetValue(json), parse.GetValue(sarif), parse.GetValue(failOn),
                !parse.GetValue(noBrowser), parse.GetValue(insecure), parse.GetValue(printJson), (parse.GetValue(engines) ?? EngineSelection.Default)) { Post = !parse.GetValue(noPost) },
            parse.InvocationConfiguration.Output));
        return command;
    }

    private static async Task<int> RunAsync(Request request, TextWriter output)
    {
        // --insecure: a staging server with a self-signed certificate; without it a TLS failure is "not checked", said so.
        // Where the findings go is checked before a probe is sent: a folder there is exit 2 now, not after the audit.
        if (request.Json is { } jsonPath) Harness.OutputPath.CheckFile(jsonPath, "--out");
        if (request.Sarif is { } sarifPath) Harness.OutputPath.CheckFile(sarifPath, "--sarif");
        // One file for both: the SARIF overwrote the JSON without a word.
        if (request.Json is { } a && request.Sarif is { } b && Path.GetFullPath(a) == Path.GetFullPath(b))
        {
            throw new UsageException($"--out and --sarif name the same file, {a}: give each its own");
        }
        // The confirmation's engines are launched after the probes: a bad setting is bad usage before the first probe.
        if (request.Confirm) SharedOptions.CheckEngineSettings(request.Engines.Engines.Where(e => e != Engine.Webkit), EngineRun.SettingsFrom(null));
        var client = Harness.ServerUnderTest.Replay.CreateClient(acceptAnyCertificate: request.Insecure);
        IReadOnlyList<string> launchFailures = [];
        var result = await Auditor.RunAsync(request.Target, request.Origin, client, TimeSpan.FromSeconds(10), post: request.Post);
        if (request.Confirm && result.Findings.Any(f => f.Severity > Severity.Info))
        {
            // Browser confirmation: a page at each probe origin tries the credentialed read (--no-browser skips it).
            await using var servers = await ReferenceServers.StartAsync();
            var engines = request.Engines.Engines.Where(e => e != Engine.Webkit).ToList();
            var launches = new List<(Engine, string?)>();
            result = await BrowserConfirmation.ConfirmAsync(result, servers, engines, EngineRun.SettingsFrom(null), TimeSpan.FromSeconds(10),
                (engine, unavailable) => launches.Add((engine, unavailable)), client);
            launchFailures = LaunchRule.Failures(launches, request.Engines.Named, judged: null);
        }
        else if (!request.Confirm)
        {
            // Said, not left blank: a high finding read without a browser is not "confirmed", and not "not exploitable" either.
            var asked = result;
            result = result with { Findings = result.Findings.Select(f => BrowserConfirmation.Confirmable(asked, f) ? f with { BrowserConfirmation = BrowserConfirmation.NotAsked } : f).ToList() };
        }
        var notCheckedClasses = result.NotChecked.Select(n => n.Defect.Id).Distinct().ToList();
        // A finding's message and a reason quote the server's header values: its control characters are shown, never sent
        // to the terminal (an Access-Control-Allow-Origin ending in ESC [2J cleared it). The JSON escapes its own.
        var console = output;
        output = new EscapingWriter(console);
        // The URL as browsers read it (http://127.0.0.1.:8080/ is http://127.0.0.1:8080/ to them), said where it differs.
        if (result.Target != request.Target) output.WriteLine($"{request.Target} is {result.Target} to browsers (the URL Standard reads a host ending in a number as an IPv4 address): audited as such.");
        output.WriteLine($"Audit of {result.Target} (trusted origin {result.TrustedOrigin}{(request.Origin is null ? ", assumed: the URL's own origin — give --origin to find prefix, suffix and subdomain defects of the origin your front end really uses" : "")}): "
            + $"{result.Findings.Count} finding(s)" + (notCheckedClasses.Count > 0 ? $"; {notCheckedClasses.Count} defect(s) NOT CHECKED: {string.Join(", ", notCheckedClasses)}." : "."));
        foreach (var f in result.Findings)
        {
            output.WriteLine($"  [{f.Severity.ToString().ToLowerInvariant()}] {f.Defect.Id}: {f.Message}");
            if (f.BrowserConfirmation is { } confirmation) output.WriteLine($"      {confirmation}");
            output.WriteLine($"      {f.Curl}");
        }
        // One line a reason: a server that refused every connection, or does not admit --origin, leaves many defects for one cause
        // (each with its probe in the JSON).
        foreach (var reason in result.NotChecked.GroupBy(n => n.Why))
        {
            var which = reason.Count() == 1 ? $"{reason.First().Defect.Id} (probe from {reason.First().ProbeOrigin})" : string.Join(", ", reason.Select(n => n.Defect.Id).Distinct());
            output.WriteLine($"  [not checked] {which}: {reason.Key}");
        }
        // Not "clean" either: a class with no probe was not looked at (said apart from not checked, whose probes got no answer).
        foreach (var reason in result.NotProbed.GroupBy(n => n.Why))
        {
            output.WriteLine($"  [not probed] {string.Join(", ", reason.Select(n => n.Defect.Id))}: {reason.Key}");
        }
        // The scope, with every result: "0 finding(s)" is of what was asked, and what a page can send that was not is named.
        output.WriteLine($"  [asked] {result.Asked}");
        output.WriteLine($"  [not probed] requests: {result.NotAsked}");
        if (request.PrintJson) console.WriteLine(AuditOutput.Json(result));
        await Harness.OutputPath.WriteAllAsync([
            .. request.Json is { } json ? [(json, AuditOutput.Json(result))] : Array.Empty<(string, string)>(),
            .. request.Sarif is { } sarif ? [(sarif, AuditOutput.Sarif(result))] : Array.Empty<(string, string)>()]);
        // The findings stand without a browser; a confirmation that was asked for and could not run fails the audit.
        foreach (var failure in launchFailures) output.WriteLine($"✗ {failure}");
        if (launchFailures.Count > 0) return ExitCodes.Failure;
        if (request.FailOn is { } threshold && result.Findings.Any(f => f.Severity >= threshold)) return FindingAtThreshold;
        // Whatever was found, a defect no answer decided is not clean: an exit code of its own.
        return result.NotChecked.Count > 0 ? NotChecked : ExitCodes.Success;
    }
}

/// <summary>Writes each line with its control characters as \xNN (<see cref="Harness.ServerUnderTest.RawHead.EscapeControls"/>).</summary>
internal sealed class EscapingWriter(TextWriter inner) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;

    public override void WriteLine(string? value) => inner.WriteLine(Harness.ServerUnderTest.RawHead.EscapeControls(value ?? ""));

    public override void Write(string? value) => inner.Write(Harness.ServerUnderTest.RawHead.EscapeControls(value ?? ""));

    public override void Write(char value) => Write(value.ToString());

    public override void Flush() => inner.Flush();
}
