using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using CorsConformance.Harness.Servers;

namespace CorsConformance.Harness.Tests.Servers;

/// <summary>
/// An HttpClient that reaches the reference servers under the topology's real host names: every connection goes to
/// 127.0.0.1 at the URL's port, so the Host header is <c>api.cors.test:…</c>, as a browser would send it. It follows no
/// redirect, keeps no cookies and trusts the servers' own certificate and nothing else.
/// </summary>
internal static class LoopbackClient
{
    public static HttpClient For(ReferenceServers servers)
    {
        var thumbprint = servers.Certificate.GetCertHashString(HashAlgorithmName.SHA256);
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint.Port, ct),
            SslOptions =
            {
                RemoteCertificateValidationCallback = (_, certificate, _, _) =>
                    certificate is not null && certificate.GetCertHashString(HashAlgorithmName.SHA256) == thumbprint,
            },
        };
        return new HttpClient(handler);
    }

    public static async ValueTask<Stream> ConnectAsync(int port, CancellationToken ct)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(IPAddress.Loopback, port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
