using CorsConformance.Fixtures;
using CorsConformance.Harness.ServerUnderTest;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Tests.ServerUnderTest;

/// <summary>The suite's browsers accept any certificate (its own pages' is made in memory), and so did the replay and the
/// protocol checks: a server under test with a self-signed certificate passed every case and every check, though every
/// user's browser refuses the connection before any CORS check (found by the hostile-server sweep). Its cases are now
/// harness errors naming the certificate, and its checks not checked, unless AcceptAnyCertificate says a staging server's
/// certificate is to be accepted.</summary>
public sealed class UntrustedCertificateTests
{
    private static readonly CorsPolicy Policy = PolicyReader.Read(
        """{ "allowedOrigins": ["https://app.example.com"], "allowedMethods": ["GET", "PUT"], "allowCredentials": true }""", "policy.json");

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    [Test]
    public async Task A_server_whose_certificate_browsers_do_not_trust_is_not_reached_unless_it_is_accepted()
    {
        await using var server = new UntrustedTlsServer();
        var cases = PolicyCases.Generate(Policy, server.HttpsResource);
        var refused = await PolicyRunner.UnreachableAsync(Replay.CreateClient(acceptAnyCertificate: true), cases, Timeout, CancellationToken.None, acceptAnyCertificate: false);
        var accepted = await PolicyRunner.UnreachableAsync(Replay.CreateClient(acceptAnyCertificate: true), cases, Timeout, CancellationToken.None, acceptAnyCertificate: true);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(refused.Keys, Is.EqualTo(new[] { server.HttpsResource }));
            Assert.That(refused[server.HttpsResource].Failure, Does.StartWith("the server under test's TLS certificate is not one browsers trust (")
                .And.Contain("UntrustedRoot").And.Contain("AcceptAnyCertificate").And.Contain("CORS_ACCEPT_ANY_CERTIFICATE"));
            Assert.That(accepted, Is.Empty, "a staging server's certificate accepted on purpose");
        }
    }

    [Test]
    public async Task The_protocol_checks_of_a_server_whose_certificate_is_not_trusted_are_not_checked()
    {
        await using var server = new UntrustedTlsServer();
        var findings = await ProtocolChecks.RunAsync(server.HttpsResource, Policy, Replay.CreateClient(acceptAnyCertificate: false), Timeout);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(findings.Where(f => f.Outcome != FindingOutcome.NotApplicable), Has.All.Matches<ProtocolFinding>(f => f!.Outcome == FindingOutcome.NotChecked),
                () => string.Join("\n", findings));
            Assert.That(findings.First(f => f.Outcome == FindingOutcome.NotChecked).Message, Does.Contain("the TLS handshake failed").And.Contain("UntrustedRoot"));
        }
    }

    /// <summary>An https:// URL whose port speaks plain HTTP (the http port given an https scheme, a TLS terminator left
    /// out): the server answers the TLS ClientHello with "HTTP/1.1 400 Bad Request". The audit and the protocol checks said
    /// "the TLS handshake failed: Cannot determine the frame size or a corrupted frame was received" and advised --insecure
    /// or AcceptAnyCertificate for a self-signed certificate — which changes nothing there. They now say the server answered
    /// in plain HTTP at an https:// URL, and give no certificate advice.</summary>
    [TestCase(true)]
    [TestCase(false)]
    public async Task An_https_URL_answered_in_plain_HTTP_is_said_so_without_certificate_advice(bool statusLine)
    {
        // Python's http.server answers a ClientHello as an HTTP/0.9 request: its error page without a status line.
        await using var server = statusLine ? (LoopbackTcpServer)new ScriptedServer(_ => "400 Bad Request") : new GarbageServer("<!DOCTYPE HTML>\n<html><body>Bad request</body></html>\n");
        var https = new UriBuilder(server.Resource) { Scheme = "https" }.Uri;
        var audit = await CorsConformance.Harness.Audit.Auditor.RunAsync(https, "https://app.example.com", Replay.CreateClient(acceptAnyCertificate: false), Timeout);
        var findings = await ProtocolChecks.RunAsync(https, Policy, Replay.CreateClient(acceptAnyCertificate: true), Timeout);
        var why = audit.NotChecked.First().Why;
        var notChecked = findings.First(f => f.Outcome == FindingOutcome.NotChecked).Message;
        using (Assert.EnterMultipleScope())
        {
            Assert.That(why, Does.Contain(statusLine ? "answered in plain HTTP ('HTTP/1.1 400 Bad Request')" : "bytes that are no TLS ('<!DOCTYPE HTML>'").And.Not.Contain("--insecure"), why);
            Assert.That(notChecked, Does.Contain("this port speaks no https").And.Not.Contain("AcceptAnyCertificate"), notChecked);
        }
    }

    [TestCase(null, false)]
    [TestCase("true", true)]
    [TestCase("False", false)]
    public void AcceptAnyCertificate_is_read_from_the_settings(string? value, bool expected)
    {
        var settings = ServerUnderTestSettings.Load(key => key switch
        {
            "TargetUrl" => "https://127.0.0.1:5001/api/items",
            "PolicyPath" => FixturePolicies.PathOf("aspnetcore"),
            "AcceptAnyCertificate" => value,
            _ => null,
        });
        Assert.That(settings.AcceptAnyCertificate, Is.EqualTo(expected));
    }

    [Test]
    public void AcceptAnyCertificate_that_is_not_true_or_false_is_refused_naming_the_setting()
    {
        var e = Assert.Throws<SettingException>(() => ServerUnderTestSettings.Load(key => key switch
        {
            "TargetUrl" => "https://127.0.0.1:5001/api/items",
            "PolicyPath" => FixturePolicies.PathOf("aspnetcore"),
            "AcceptAnyCertificate" => "yes",
            _ => null,
        }))!;
        Assert.That(e.Message, Does.StartWith("Setting 'AcceptAnyCertificate' (TestRunParameters or CORS_ACCEPT_ANY_CERTIFICATE) 'yes' is not true or false"));
    }
}
