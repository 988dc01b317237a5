using CorsConformance.Harness.Browsers;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Running;

/// <summary>
/// Whether a page at an https origin may call http://127.0.0.1 at all. Mixed Content lets it (a loopback URL is potentially
/// trustworthy, so it is not mixed content), and Chromium and Firefox do; WebKitGTK blocks it, and then every cross-origin
/// call from such a page to a server under test on plain-HTTP loopback fails before CORS is consulted. The probe asks the
/// browser, not a list of engines: the page calls our own reference server at http://127.0.0.1 with an answer that CORS
/// allows, and the server's journal says whether anything arrived.
/// </summary>
public static class MixedContentProbe
{
    /// <summary>The words a verdict or confirmation carries when the probe found the call blocked (tests look for them).</summary>
    public const string Blocked = "an https page's requests to http://127.0.0.1 are blocked as mixed content";

    /// <summary>What a server-under-test run can change so the engine judges its cases (it chooses its page origins).</summary>
    public const string ServerUnderTestAdvice = ": serve the server under test over https, or use http page origins, to judge it in this engine";

    /// <summary>What an audit can change so the engine confirms a finding: its probe pages' origins are the forged origins
    /// themselves (https ones for an https --origin), so only the audited URL's scheme is the user's to choose.</summary>
    public const string AuditAdvice = ": audit the server's https URL (--insecure for a self-signed certificate) to confirm it in this engine";

    /// <summary>Whether the probe is needed: a page at https calling a target over http.</summary>
    public static bool Applies(string pageOrigin, Uri target) =>
        pageOrigin.StartsWith("https:", StringComparison.OrdinalIgnoreCase) && target.Scheme == Uri.UriSchemeHttp;

    /// <summary>Null when the page reaches http://127.0.0.1; otherwise why nothing the page does there is a CORS verdict (the
    /// same words for every page, so a run's reasons collapse into one). The fact only: each caller adds what its user can
    /// change (<see cref="ServerUnderTestAdvice"/>, <see cref="AuditAdvice"/>), since an audit cannot choose its page origins.</summary>
    /// <param name="browser">The browser's build ("WebKitGTK 2.50.6"), when known: its answer is remembered for the process,
    /// since a build that blocks such a call blocks every one (WebKitGTK does not fail the fetch at once: each probe waited
    /// the whole timeout, once per finding an audit tried).</param>
    public static async Task<string?> WhyBlockedAsync(IRunnerPage page, ReferenceServers servers, TimeSpan timeout, string? browser = null)
    {
        if (browser is not null && Known.TryGetValue(browser, out var known)) return known;
        var why = await ProbeAsync(page, servers, timeout);
        if (browser is not null) Known.TryAdd(browser, why);
        return why;
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string?> Known = new(StringComparer.Ordinal);

    private static async Task<string?> ProbeAsync(IRunnerPage page, ReferenceServers servers, TimeSpan timeout)
    {
        var token = "mixed-content-" + Guid.NewGuid().ToString("N");
        var plan = new ServerPlan(ResponsePlan.Empty, new ResponsePlan(200, [new Header(HeaderNames.AccessControlAllowOrigin, "*")]));
        var url = new UriBuilder(servers.TargetUrl(Place.SameSite, Scheme.Http, token, plan)) { Host = "127.0.0.1" }.Uri.ToString();
        var seen = (await page.RunWithinAsync([PageRequest.For(token, PageOrigin.Origin, RequestSpec.Get, url, timeout)]))[0].Attempts.Last();
        if (seen.Ok || servers.Journal.For(token).Any()) return null;
        return Blocked + " (Mixed Content exempts loopback as potentially trustworthy; this engine sends nothing), so this is "
            + "not a CORS verdict";
    }
}
