using CorsConformance.Specs.Verdicts;
using System.Text.Json;
using CorsConformance.Specs.Model;

namespace CorsConformance.Harness.Running;

/// <summary>One request as the in-page runner (fixtures/pages/matrix.js) takes it.</summary>
/// <param name="MarkUrl">Where the page says, before each follow-up of <see cref="Then"/>, that the next request starts
/// (<c>{MarkUrl}/{step}</c>, see <see cref="Servers.Journal.Mark"/>); null: no marks (the journal then cannot tell the
/// requests of a sequence apart).</param>
/// <param name="ReportUserAgent">The page reports its navigator.userAgent with the result (a case that observes its
/// preflight's headers compares the preflight's `User-Agent` with it).</param>
/// <param name="ControlUrl">Where the page sends its control request once the case's requests are done (a no-cors GET
/// without credentials, journaled apart: <see cref="Servers.Journal.Control"/>), for a case whose request the standard may
/// refuse before anything is sent; null: none.</param>
/// <param name="Blob">"live": the page fetches a blob: URL it makes from a Blob of its own just before (and revokes after);
/// "revoked": the same URL revoked before the request; null: <see cref="Url"/> as it is.</param>
/// <param name="Referrer">fetch()'s <c>referrer</c> option as the case gives it (<see cref="RequestSpec.Referrer"/>):
/// "client" leaves fetch's default, anything else is passed as it stands ("" is no referrer); null: not given.</param>
/// <param name="Measures">What the page measures of what the request gave it, [field name, JavaScript function] as
/// <see cref="ObservedFields.PageMeasures"/> gives them for the case (<see cref="Measuring"/>); null: nothing.</param>
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
    int TimeoutMs = 15_000,
    string Mode = "cors",
    bool UploadListener = false,
    string Redirect = "follow",
    PageFollowUp[]? Then = null,
    string? ReferrerPolicy = null,
    bool Keepalive = false,
    string? XhrUser = null,
    string? XhrPassword = null,
    string? MarkUrl = null,
    bool ReportUserAgent = false,
    string? ControlUrl = null,
    string? Blob = null,
    string? Referrer = null,
    string[][]? Measures = null)
{
    public static PageRequest For(string id, PageOrigin page, RequestSpec request, string url, TimeSpan? timeout = null) => new(
        id,
        page.Id(),
        request.Initiator.Word,
        request.Method,
        request.Headers.Select(h => new[] { h.Name, h.Value }).ToArray(),
        CredentialsWord(request.Credentials),
        request.Body,
        request.Repeat,
        url,
        (int)(timeout ?? TimeSpan.FromSeconds(15)).TotalMilliseconds,
        request.Mode switch
        {
            RequestMode.Cors => "cors",
            RequestMode.NoCors => "no-cors",
            RequestMode.SameOrigin => "same-origin",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Mode, "not a request mode"),
        },
        request.UploadListener,
        request.Redirect switch
        {
            RedirectMode.Follow => "follow",
            RedirectMode.Error => "error",
            RedirectMode.Manual => "manual",
            _ => throw new ArgumentOutOfRangeException(nameof(request), request.Redirect, "not a redirect mode"),
        },
        request.Then is { Count: > 0 } then
            ? [.. then.Select(f => new PageFollowUp(f.Method, [.. f.Headers.Select(h => new[] { h.Name, h.Value })], CredentialsWord(f.Credentials), f.Body, f.DelayMs))]
            : null,
        request.ReferrerPolicy,
        request.Keepalive,
        request.XhrUser,
        request.XhrPassword,
        Referrer: request.Referrer);

    /// <summary>This request with the measurements of every field the page measures that the case observes.</summary>
    public PageRequest Measuring(CorsCase @case) => this with { Measures = ObservedFields.PageMeasures(@case) };

    private static string CredentialsWord(CredentialsMode credentials) => credentials switch
    {
        CredentialsMode.Omit => "omit",
        CredentialsMode.Include => "include",
        CredentialsMode.SameOrigin => "same-origin",
        _ => throw new ArgumentOutOfRangeException(nameof(credentials), credentials, "not a credentials mode"),
    };
}

/// <summary>What the page saw for one request: one attempt per repetition.</summary>
/// <param name="UserAgent">The page's navigator.userAgent (HTML: the default `User-Agent` value), when the request asked for
/// it (<see cref="PageRequest.ReportUserAgent"/>); null otherwise.</param>
public sealed record PageResult(string Id, PageAttempt[] Attempts, string? UserAgent = null);

/// <summary>One attempt as the page saw it: no more than a page can know.</summary>
/// <param name="Status">The status the page read; null where the initiator shows none (an element, EventSource).</param>
/// <param name="Headers">The header names the page could read; null where the initiator shows none.</param>
/// <param name="Refused">The API threw before anything was sent (e.g. <c>new Request()</c> for a no-cors PUT).</param>
/// <param name="Extra">The observed fields the page measures beyond these, by name (<see cref="ObservedFields.Extra"/>: an
/// img's pixels readable, the Response's type…); the Observer reads each as its declaration says.</param>
public sealed record PageAttempt(bool Ok, int? Status, string[]? Headers, string? Error, bool TimedOut, bool Refused = false, bool Beacon = false,
    IReadOnlyDictionary<string, JsonElement>? Extra = null)
{
    /// <summary>The page never issued the request: its initiator could not start (a data: worker that failed, a frame that did
    /// not load, no such initiator in matrix.js). Whatever the journal or a data: URL's lack of a server says, that is a
    /// harness problem, never the browser's CORS decision (the Observer makes it <see cref="Outcome.Unreached"/>).</summary>
    public bool NotIssued { get; init; }
}

/// <summary>A request matrix.js sends after a case's own, to the same URL (or to <paramref name="Url"/>), after waiting
/// <paramref name="DelayMs"/>.</summary>
/// <param name="Url">The URL of a follow-up sent to another place than the case's own; null: the case's URL.</param>
public sealed record PageFollowUp(string Method, string[][] Headers, string Credentials, string? Body, int DelayMs, string? Url = null);
