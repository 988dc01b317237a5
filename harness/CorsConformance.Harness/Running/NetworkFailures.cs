namespace CorsConformance.Harness.Running;

/// <summary>
/// A CORS block and a request that failed below CORS give the page the same TypeError; only the browser's own words tell
/// them apart. Chromium logs a CORS block as net::ERR_FAILED and a failed connection with its own code; Firefox says "CORS
/// request did not succeed" for a request that got no HTTP answer; WebKitGTK says nothing either way.
/// </summary>
public static class NetworkFailures
{
    private static readonly string[] Markers =
    [
        "net::ERR_EMPTY_RESPONSE", "net::ERR_CONNECTION_RESET", "net::ERR_CONNECTION_CLOSED", "net::ERR_CONNECTION_REFUSED",
        "net::ERR_CONNECTION_ABORTED", "net::ERR_CONNECTION_FAILED", "net::ERR_ADDRESS_UNREACHABLE", "net::ERR_NAME_NOT_RESOLVED",
        "net::ERR_TIMED_OUT", "net::ERR_INVALID_HTTP_RESPONSE", "net::ERR_SSL_", "net::ERR_CERT_",
        // An answer Chromium will not take: a head over its 256 KB, a duplicated Content-Length or Location, a body cut
        // short or badly chunked; a port it refuses to connect to; a certificate it refuses.
        "net::ERR_RESPONSE_HEADERS_TOO_BIG", "net::ERR_RESPONSE_HEADERS_MULTIPLE_", "net::ERR_INVALID_CHUNKED_ENCODING",
        "net::ERR_INCOMPLETE_CHUNKED_ENCODING", "net::ERR_CONTENT_LENGTH_MISMATCH", "net::ERR_HTTP2_PROTOCOL_ERROR", "net::ERR_UNSAFE_PORT",
        "net::ERR_INSECURE_RESPONSE", "net::ERR_SOCKET_NOT_CONNECTED",
        "CORS request did not succeed",
    ];

    private const string FirefoxNoAnswer = "CORS request did not succeed";

    /// <summary>The words in <paramref name="messages"/> that name a failure below CORS (the connection closed without an
    /// answer, reset, refused, timed out, unparsable, TLS), or null. Firefox also says "CORS request did not succeed" of
    /// the request a refused preflight kept it from sending, beside the preflight's own reason ("header ‘x’ is not allowed
    /// according to header ‘Access-Control-Allow-Headers’ from CORS preflight response"): with another reason there, it
    /// is a CORS block, and a browser departing from the standard on it is not a server that did not answer.</summary>
    public static string? In(string? messages)
    {
        if (messages is null) return null;
        var marker = Markers.FirstOrDefault(m => messages.Contains(m, StringComparison.Ordinal));
        if (marker == FirefoxNoAnswer && System.Text.RegularExpressions.Regex.Matches(messages, @"\(Reason: ([^)]*)\)")
                .Any(m => !m.Groups[1].Value.StartsWith(FirefoxNoAnswer, StringComparison.Ordinal)))
        {
            return null;
        }
        return marker;
    }
}
