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
    string Url);

/// <summary>What the page saw for one request: one attempt per repetition.</summary>
public sealed record PageResult(string Id, PageAttempt[] Attempts);

/// <summary>One attempt as the page saw it: no more than a page can know.</summary>
public sealed record PageAttempt(bool Ok, int Status, string[] Headers, string? Error, bool TimedOut);
