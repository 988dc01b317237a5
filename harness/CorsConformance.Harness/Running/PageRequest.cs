using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Running;

/// <summary>One request as the in-page runner (fixtures/pages/matrix.js) takes it.</summary>
public sealed record PageRequest(
    string Id,
    string Page,
    string Api,
    string Method,
    string[][] Headers,
    string Credentials,
    string? Body,
    int Repeat,
    string Url,
    int TimeoutMs = 15_000)
{
    public static PageRequest For(string id, PageOrigin page, RequestSpec request, string url, TimeSpan? timeout = null) => new(
        id,
        page == PageOrigin.Null ? "null" : "origin",
        request.Api == Specs.Model.Api.Xhr ? "xhr" : "fetch",
        request.Method,
        request.Headers.Select(h => new[] { h.Name, h.Value }).ToArray(),
        request.Credentials switch
        {
            CredentialsMode.Omit => "omit",
            CredentialsMode.Include => "include",
            _ => "same-origin",
        },
        request.Body,
        request.Repeat,
        url,
        (int)(timeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds);
}

/// <summary>What the page saw for one request: one attempt per repetition.</summary>
public sealed record PageResult(string Id, PageAttempt[] Attempts);

/// <summary>One attempt as the page saw it: no more than a page can know.</summary>
public sealed record PageAttempt(bool Ok, int Status, string[] Headers, string? Error, bool TimedOut);
