using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Browsers;

/// <summary>
/// A host name the browser resolves to loopback, and optionally a port it is moved to: how a page gets an origin such as
/// https://app.example.com (port 443) while our server listens on a free loopback port. Only inside the browser
/// (Chromium --host-resolver-rules; Firefox network.dns.localDomains and network.socket.forcePort); never the hosts file.
/// </summary>
public sealed record HostMapping(string Host, int? FromPort = null, int? ToPort = null)
{
    /// <summary>The reference topology: its host names, ports unchanged.</summary>
    public static IReadOnlyList<HostMapping> Topology { get; } = HostNames.All.Select(h => new HostMapping(h)).ToList();

    public string ChromiumRule => FromPort is { } from && ToPort is { } to ? $"MAP {Host}:{from} 127.0.0.1:{to}" : $"MAP {Host} 127.0.0.1";

    /// <summary>Why a browser launched with <paramref name="mappings"/> cannot reach <paramref name="target"/>,
    /// or null: Firefox under Playwright moves a port of every host at once (network.socket.forcePort, how a page gets an
    /// origin such as https://app.example.com, port 443, on our loopback server), so a server on a moved port would be
    /// answered by the suite's own servers, and whatever the browser did there would be about them. Chromium maps host and
    /// port together; WebKitGTK, and Firefox over its own BiDi driver, go through a proxy that routes by host.</summary>
    public static string? Unreachable(bool movesPortsOfEveryHost, IEnumerable<HostMapping> mappings, Uri target)
    {
        if (!movesPortsOfEveryHost) return null;
        var moving = mappings.Where(m => m.FromPort == target.Port && m.ToPort is not null).Select(m => m.Host).Distinct().ToList();
        return moving.Count == 0 ? null
            : $"Firefox cannot reach a server on port {target.Port}: it moves port {target.Port} of every host to the suite's own servers "
                + $"(network.socket.forcePort, how its pages get origins such as {string.Join(", ", moving.Take(2))}), so what it did there would be about "
                + "the suite's servers, not yours; serve it on another port to judge it in Firefox (Chromium, WebKitGTK and the BiDi-driven Firefox route by host and reach it)";
    }

    /// <summary>Firefox moves ports for every host (network.socket.forcePort), so only distinct port moves are listed, each
    /// <c>from=to</c>, separated by semicolons (a comma there lists several ports to move to one, so "443=a,80=b" would be
    /// one unparsable move and nothing would move).</summary>
    public static string? FirefoxForcePort(IEnumerable<HostMapping> mappings)
    {
        var moves = mappings.Where(m => m.FromPort is not null && m.ToPort is not null).Select(m => $"{m.FromPort}={m.ToPort}").Distinct().ToList();
        return moves.Count == 0 ? null : string.Join(";", moves);
    }
}
