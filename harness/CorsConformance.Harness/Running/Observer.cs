using System.Text.Json;
using CorsConformance.Harness.Servers;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Running;

/// <summary>
/// Turns what the page saw and what the target's journal recorded into an <see cref="Observation"/>.
/// A network error is a CORS block only if the journal shows the target answered; if the target saw nothing it is
/// <see cref="Outcome.Unreached"/> — a harness or network failure, never a verdict (the TypeError's text is the same for both).
/// A request the API refused before sending (the page says so, and the journal is empty) is <see cref="Outcome.Refused"/>.
/// </summary>
public static class Observer
{
    /// <param name="case">The case observed: every field read from what reached the target (<see cref="ExtraField{T}.Read"/>)
    /// that it observes is read from its last request's own journal entries, the page origin scrubbed to the oracle's token
    /// and the page's navigator.userAgent to <see cref="Specs.Fetch.PreflightRequestHeaders.DefaultUserAgent"/>. Null: none is.</param>
    /// <param name="serverless">The request's URL is a data: URL: no server takes part, so a network error the page saw is the
    /// browser's own decision (blocked), not a server that was never reached.</param>
    /// <param name="steps">For a sequence (<c>request.then</c>), the page's marks between its requests. The preflights are
    /// counted over every request (and any one carrying credentials is reported); every other field, and whether a failure
    /// is blocked or never reached, is the last request's own entries'. Marks that are not whole make the case a harness
    /// error (<see cref="Outcome.Unreached"/>), never a verdict. None: the whole journal is one request's (and its repetitions').</param>
    /// <param name="control">For a case whose request the standard may refuse before anything is sent, the page's control
    /// request: when it did not arrive, the case is a harness error (<see cref="Outcome.Unreached"/>); when it did, an empty
    /// journal is the browser's own refusal (blocked). Null: no control was asked for.</param>
    public static Observation Observe(PageResult page, IReadOnlyList<SeenRequest> journal, string pageOrigin, string? browserReason, CorsCase? @case = null, bool serverless = false, SequenceMarks? steps = null, ReachabilityControl? control = null)
    {
        journal = WithoutHttpRetries(journal);
        steps ??= SequenceMarks.None;
        var last = page.Attempts.LastOrDefault() ?? new PageAttempt(false, 0, [], "no attempt was made", false);
        var everyPreflight = journal.Where(s => s.IsPreflight).ToList();
        var preflightCarriedCredentials = everyPreflight.Any(p => p.HasCookie || p.HasAuthorization);
        // The server is known to be reachable: it answered a request of the case, or the page's control.
        var reachable = serverless || control is { Problem: null };
        // A request the page never issued (its initiator did not start) is no evidence of anything: with no server (a data:
        // URL) its error would otherwise read as the browser's block.
        if ((page.Attempts.FirstOrDefault(a => a.NotIssued) is { } notIssued ? notIssued.Error ?? "the page could not issue the request" : null) is { } unissued)
        {
            return new Observation(Outcome.Unreached, everyPreflight.Count, false, null, null, false, preflightCarriedCredentials, null, null)
            {
                BrowserReason = browserReason is null ? null : Scrub(browserReason, pageOrigin),
                PageError = unissued,
            };
        }
        if ((steps.Problem ?? control?.Problem) is { } problem)
        {
            return new Observation(Outcome.Unreached, everyPreflight.Count, false, null, null, false, preflightCarriedCredentials, null, null)
            {
                BrowserReason = browserReason is null ? null : Scrub(browserReason, pageOrigin),
                PageError = problem,
            };
        }
        // The last request's own entries: what it sent, and whether anything of it reached the target.
        var own = steps.LastStep(journal);
        var preflights = own.Where(s => s.IsPreflight).ToList();
        var actual = own.Where(s => !s.IsPreflight).ToList();
        // Refused: the API threw before sending, and indeed nothing arrived (if something did, the page's word is not enough).
        // A beacon: the page learns only that it was queued, so the journal alone says whether the request was sent.
        var outcome = last.Beacon ? (actual.Count > 0 ? Outcome.Allowed : last.Refused && own.Count == 0 ? Outcome.Refused : preflights.Count > 0 ? Outcome.Blocked : Outcome.Unreached)
            : last.Ok ? Outcome.Allowed
            : last.Refused && own.Count == 0 ? Outcome.Refused
            : (own.Count > 0 || reachable) && !last.TimedOut ? Outcome.Blocked
            : Outcome.Unreached;
        return new Observation(
            outcome,
            everyPreflight.Count,
            actual.Count > 0,
            Scrub(actual.LastOrDefault()?.Origin, pageOrigin),
            preflights.FirstOrDefault()?.AccessControlRequestHeaders,
            actual.LastOrDefault()?.HasCookie ?? false,
            preflightCarriedCredentials,
            // What the page read: a response's status, or for a blocked XMLHttpRequest the status it reports (0 by XHR).
            last.Ok || outcome == Outcome.Blocked ? last.Status : null,
            last.Ok && last.Headers is not null ? last.Headers.Select(h => h.ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal).ToList() : null)
        {
            Extra = @case is null ? MeasuredByThePage(last) : ObservedFields.ReadFromWire(@case, WireOf(own, pageOrigin, page.UserAgent), MeasuredByThePage(last)),
            BrowserReason = browserReason is null ? null : Scrub(browserReason, pageOrigin),
            PageError = last.Error,
        };
    }

    /// <summary>What the target's journal recorded, as the wire fields read it: each value with the run's page origin
    /// scrubbed to the oracle's token, and a `User-Agent` that is the page's navigator.userAgent shown as
    /// <see cref="Specs.Fetch.PreflightRequestHeaders.DefaultUserAgent"/>.</summary>
    public static Wire WireOf(IEnumerable<SeenRequest> journal, string pageOrigin, string? pageUserAgent) =>
        new([.. journal.Select(seen => new WireRequest(seen.IsPreflight, seen.Method, seen.Hop,
            [.. seen.Headers.Select(h => h with
            {
                Value = h.Name.Equals(Specs.Fetch.PreflightRequestHeaders.UserAgent, StringComparison.OrdinalIgnoreCase) && h.Value == pageUserAgent
                    ? Specs.Fetch.PreflightRequestHeaders.DefaultUserAgent
                    : Scrub(h.Value, pageOrigin)!,
            })])
        {
            CarriesCookie = seen.HasCookie,
            CarriesCaseCookie = seen.HasCaseCookie,
        })]);

    /// <summary>The fields the page measured beyond status and headers (matrix.js's <c>extra</c>), each read as its
    /// declaration in <see cref="ObservedFields"/> says; a null is "not observed".</summary>
    /// <exception cref="InvalidOperationException">The page reports a field no declaration names, or a value of the wrong
    /// type: matrix.js and ObservedFields.cs disagree (a harness bug, never a verdict).</exception>
    public static ObservedValues MeasuredByThePage(PageAttempt attempt)
    {
        var values = ObservedValues.None;
        foreach (var (name, element) in attempt.Extra ?? new Dictionary<string, JsonElement>())
        {
            var field = ObservedFields.Named(name) is { ExtraType: { } type } declared ? (declared, type) : default;
            if (field.declared is null) throw new InvalidOperationException($"matrix.js reports '{name}', which ObservedFields.cs does not declare as a field carried by name");
            try
            {
                values = values.With(name, element.Deserialize(field.type));
            }
            catch (JsonException e)
            {
                throw new InvalidOperationException($"matrix.js reports '{name}' as {element.GetRawText()}, not a {field.type.Name} as ObservedFields.cs declares", e);
            }
        }
        return values;
    }

    /// <summary>
    /// The journal less HTTP's own retries: after the target answers with an interim (1xx) status it closes the connection,
    /// and HTTP lets the browser send an idempotent request again ("A user agent MAY automatically retry a request with an
    /// idempotent method", RFC 9110 §9.2.2) — WebKitGTK does, once or twice, as its connection reuse decides. Such a request
    /// (the same kind, method and hop as the one just answered with a 1xx) is the same fetch's request, not another
    /// preflight or request of the standard's, so it is not counted. The case reader refuses repetitions with a 1xx answer,
    /// so nothing else can follow one.
    /// </summary>
    public static IReadOnlyList<SeenRequest> WithoutHttpRetries(IReadOnlyList<SeenRequest> journal) =>
        [.. journal.Where((seen, i) => i == 0 || !IsRetryOf(seen, journal[i - 1]))];

    private static bool IsRetryOf(SeenRequest seen, SeenRequest before) =>
        before.Sent is { Status: >= 100 and <= 199 }
        && (seen.IsPreflight, seen.Method, seen.Hop) == (before.IsPreflight, before.Method, before.Hop);

    /// <summary>Replaces the run's page origin (with its port) by the oracle's token, so observations are stable.</summary>
    public static string? Scrub(string? text, string pageOrigin) =>
        text?.Replace(pageOrigin, Specs.Fetch.Oracle.PageOriginToken, StringComparison.Ordinal);
}
