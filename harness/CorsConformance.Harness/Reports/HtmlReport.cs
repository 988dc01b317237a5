using AngleSharp.Dom;
using AngleSharp.Html;
using AngleSharp.Html.Parser;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// report.html: one self-contained file (no network needed) built as a DOM with AngleSharp — every text goes in as text,
/// so a header value holding markup stays text. It opens on a summary (per category each engine's share of conforming
/// cases and the interop score, what changed, the history chart); the matrix of cases × engines with the standard's verdict
/// beside each engine is one click away, with filters (category, engine, only differences — on at first —, only failures),
/// and a detail view per case.
/// </summary>
public static partial class HtmlReport
{
    public static string Render(Report report)
    {
        var document = new HtmlParser().ParseDocument("<!DOCTYPE html><html lang=\"en\"><head></head><body></body></html>");
        var head = document.Head!;
        head.Add(document, "meta").SetAttr("charset", "utf-8");
        head.Add(document, "meta").SetAttr("http-equiv", "Content-Security-Policy").SetAttr("content", ContentSecurityPolicy);
        head.Add(document, "meta").SetAttr("name", "viewport").SetAttr("content", "width=device-width, initial-scale=1");
        head.Add(document, "title", "CORS conformance report");
        head.Add(document, "style", Style);
        var body = document.Body!;
        var engines = report.Engines.Where(e => e.Ran).Select(e => e.Engine).ToList();

        var header = body.Add(document, "header");
        header.Add(document, "h1", "CORS conformance report");
        header.Add(document, "p", report.ServerUnderTest is null
            ? $"{report.Cases.Count} cases against the Fetch Standard ({report.Spec}), generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC."
            : $"{report.Cases.Count} cases of a server under test against what its policy promises (through a model of the Fetch Standard, {report.Spec}), generated {report.GeneratedAt:yyyy-MM-dd HH:mm} UTC.").SetAttr("class", "meta");

        var enginesTable = body.Add(document, "section").SetAttr("id", "engines").Add(document, "table");
        Row(document, enginesTable.Add(document, "thead"), "th", "engine", "version", "build", "cookie policy",
            report.ServerUnderTest is null ? "conform" : "as the policy promises", "known deviations", report.ServerUnderTest is null ? "fail" : "not as promised", "harness errors");
        var enginesBody = enginesTable.Add(document, "tbody");
        foreach (var e in report.Engines)
        {
            var row = e.Ran
                ? Row(document, enginesBody, "td", e.Engine, e.Version ?? "", e.Build, e.CookiePolicy.ThirdPartyCookies,
                    e.Summary.Conforms.ToString(), e.Summary.KnownDeviations.ToString(), e.Summary.Fails.ToString(), e.Summary.HarnessErrors.ToString())
                : Row(document, enginesBody, "td", e.Engine, "not run: " + (e.Unavailable ?? ""), "", "", "", "", "", "");
            row.SetAttr("data-engine", e.Engine);
        }

        foreach (var e in report.Engines.Where(e => e.PageFailures is { Count: > 0 }))
        {
            var failed = body.Add(document, "section").SetAttr("class", "page-failures").SetAttr("data-engine", e.Engine);
            failed.Add(document, "p", $"{e.Engine}: the browser failed under the run {e.PageFailures!.Count} time(s) (a failed page or scope is replaced by a fresh one, and the cases it held run again alone; a case that could not is a harness error):");
            var list = failed.Add(document, "ul");
            foreach (var failure in e.PageFailures) list.Add(document, "li", failure);
        }
        if (report.Partial is { } partial) RenderPartial(document, body, partial);
        RenderSummary(document, body, report, engines);
        if (report.Changes is { } changes) RenderChanges(document, body, changes);
        if (report.History is not null) RenderHistory(document, body, report);
        RenderStandardSteps(document, body, report, engines);
        if (report.ServerUnderTest is { } sut) RenderServerUnderTest(document, body, sut);

        // The full matrix, one click away (closed at first), filtered to the differences from the standard.
        var full = body.Add(document, "details").SetAttr("id", "full-matrix");
        full.Add(document, "summary", $"Full matrix: {report.Cases.Count} cases × {engines.Count} engine(s)");
        var filters = full.Add(document, "div").SetAttr("id", "filters");
        Select(document, filters, "filter-category", "Category", report.Cases.Select(c => c.Category).Distinct());
        Select(document, filters, "filter-engine", "Engine", engines);
        Checkbox(document, filters, "filter-differences", "only differences from the standard").SetAttr("checked", "");
        Checkbox(document, filters, "filter-failures", "only failures");
        filters.Add(document, "span").SetAttr("id", "shown");

        var matrix = full.Add(document, "table").SetAttr("id", "matrix");
        var headRow = matrix.Add(document, "thead").Add(document, "tr");
        headRow.Add(document, "th", "case");
        headRow.Add(document, "th", "standard");
        foreach (var e in engines) headRow.Add(document, "th", e).SetAttr("data-engine", e);
        var rows = matrix.Add(document, "tbody");
        var details = body.Add(document, "section").SetAttr("id", "details");
        foreach (var c in report.Cases)
        {
            var row = rows.Add(document, "tr").SetAttr("class", "case").SetAttr("data-id", c.Id).SetAttr("data-category", c.Category);
            row.Add(document, "td").Add(document, "a", c.Id).SetAttr("href", "#" + DetailId(c.Id));
            row.Add(document, "td", c.Expected.Outcome).SetAttr("class", "standard");
            foreach (var e in engines)
            {
                var cell = row.Add(document, "td").SetAttr("data-engine", e);
                if (c.Results.TryGetValue(e, out var r))
                {
                    cell.TextContent = r.Observed.Outcome + (r.Verdict == Verdicts.Conforms ? "" : " · " + r.Verdict);
                    cell.SetAttr("class", "verdict " + r.Verdict).SetAttr("data-verdict", r.Verdict);
                }
                else
                {
                    // A partial report: this engine's result on this case is in another part, or nowhere.
                    cell.TextContent = "no result here";
                    cell.SetAttr("class", "no-result");
                }
            }
            RenderDetail(document, details, c, engines);
        }
        body.Add(document, "script", Script);
        using var writer = new StringWriter();
        document.ToHtml(writer, new PrettyMarkupFormatter());
        return NoRawControls(writer.ToString());
    }

    /// <summary>The page with every control character (but the formatter's tabs and line ends) as a character reference:
    /// text is shown as \xNN already, but attributes (a case id in data-id, href, id) carried an ESC from a report.json
    /// raw, which `cat report.html` ran. A reference decodes to the same character, so the page's DOM is unchanged.</summary>
    private static string NoRawControls(string html)
    {
        if (!html.Any(IsControl)) return html;
        var text = new System.Text.StringBuilder(html.Length + 16);
        foreach (var c in html) text.Append(IsControl(c) ? $"&#x{(int)c:X};" : c.ToString());
        return text.ToString();

        static bool IsControl(char c) => c is (< ' ' and not '\n' and not '\t') or (>= '\x7f' and <= '\x9f');
    }

    public static string DetailId(string caseId) => "case-" + caseId.Replace('/', '-');

    /// <summary>The standard, step by step: every step of the map with its words, a link to it, and each engine's result
    /// on the cases behind it ("deviates on 2 of 9 cases"), the cases listed with links to their details. Its own section,
    /// so other summaries can sit beside it.</summary>
    private static void RenderStandardSteps(IDocument document, IElement body, Report report, IReadOnlyList<string> engines)
    {
        var rows = StepResults.Of(report);
        if (rows.Count == 0) return;
        var section = body.Add(document, "section").SetAttr("id", "standard-steps");
        section.Add(document, "h2", "The standard, step by step");
        section.Add(document, "p", $"{rows.Count} steps of the Fetch Standard's CORS algorithms; for each, every engine's result on the cases whose evaluation by the oracle took the step.").SetAttr("class", "meta");
        var table = section.Add(document, "table").SetAttr("class", "steps");
        var head = table.Add(document, "thead").Add(document, "tr");
        head.Add(document, "th", "step");
        head.Add(document, "th", "cases");
        foreach (var e in engines) head.Add(document, "th", e).SetAttr("data-engine", e);
        var tbody = table.Add(document, "tbody");
        foreach (var row in rows)
        {
            var tr = tbody.Add(document, "tr").SetAttr("data-step", row.Step.Id).SetAttr("class", row.AnyDifference ? "step differs" : "step");
            var name = tr.Add(document, "td");
            if (SafeLink.Of(row.Step.Link) is { } link) name.Add(document, "a", row.Step.Name).SetAttr("href", link);
            else name.TextContent = row.Step.Name;
            name.Add(document, "div", row.Step.Quote).SetAttr("class", "quote");
            var cases = tr.Add(document, "td");
            if (row.Step.Exemption is { } reason && row.Cases.Count == 0)
            {
                cases.TextContent = "exempt: " + reason;
            }
            else
            {
                var list = cases.Add(document, "details");
                list.Add(document, "summary", row.Cases.Count.ToString());
                foreach (var id in row.Cases) list.Add(document, "a", id).SetAttr("href", "#" + DetailId(id)).SetAttr("class", "step-case");
            }
            foreach (var e in engines)
            {
                var summary = row.Engines[e];
                var verdict = summary.Fails > 0 ? Verdicts.Fails : summary.HarnessErrors > 0 ? Verdicts.HarnessError
                    : summary.KnownDeviations > 0 ? Verdicts.KnownDeviation : Verdicts.Conforms;
                tr.Add(document, "td", StepResults.Describe(summary)).SetAttr("data-engine", e)
                    .SetAttr("class", summary.Cases == 0 ? "verdict" : "verdict " + verdict).SetAttr("title", StepResults.Sentence(row, e));
            }
        }
    }

    private static void RenderChanges(IDocument document, IElement body, ReportChanges changes)
    {
        var section = body.Add(document, "section").SetAttr("id", "changes");
        section.Add(document, "h2", $"Changes since {changes.Baseline} ({changes.BaselineGeneratedAt:yyyy-MM-dd})");
        var list = section.Add(document, "ul");
        if (changes.IsEmpty) list.Add(document, "li", "Nothing changed.");
        foreach (var v in changes.EngineVersions)
        {
            list.Add(document, "li", $"{v.Engine}: " + (v.From is null ? $"not run in the baseline, now version {v.To ?? "unknown"}" : $"version {v.From} → {v.To ?? "unknown"}"))
                .SetAttr("class", "version-change").SetAttr("data-engine", v.Engine);
        }
        foreach (var b in changes.EngineBuilds)
        {
            list.Add(document, "li").SetAttr("class", "build-change").SetAttr("data-engine", b.Engine)
                .Add(document, "strong", $"{b.Engine}: another build" + (b.From.Split(' ')[0] == b.To.Split(' ')[0] ? " of the same version" : "") + $" — {b.From} → {b.To}: what changed in {b.Engine} may be the build's doing");
        }
        foreach (var e in changes.EnginesNotRun)
        {
            list.Add(document, "li").SetAttr("class", "engine-not-run").SetAttr("data-engine", e.Engine)
                .Add(document, "strong", $"{e.Engine} ran in the baseline (version {e.Version ?? "unknown"}) and did not run now ({e.Why}): its {e.Judged} verdict(s) there are not checked now, neither regressions nor fixes");
        }
        foreach (var (title, items, css) in new[] { ("new failure", changes.NewFailures, "regression"), ("fix", changes.Fixes, "fix"), ("behaviour change", changes.BehaviourChanges, "behaviour"),
            ("harness error, no verdict on one side", changes.HarnessErrors, "harness-error"),
            ("known-deviations list changed, the browser did the same", changes.DeviationListChanges, "deviation-list"),
            ("no result now, not checked", changes.NoResultNow, "no-result"), ("case redefined", changes.RedefinedCases, "redefined") })
        {
            foreach (var c in items)
            {
                var item = list.Add(document, "li", $"{title}: {c.Engine} ").SetAttr("class", css).SetAttr("data-case", c.Case).SetAttr("data-engine", c.Engine);
                item.Add(document, "a", c.Case).SetAttr("href", "#" + DetailId(c.Case)).SetAttr("class", "case-link");
                item.AppendChild(document.CreateTextNode($": {c.From} → {c.To}" + (c.Fields.Count > 0 ? $" ({string.Join(", ", c.Fields)})" : "")));
            }
        }
        foreach (var (title, ids, css) in new[] { ("new case(s)", changes.NewCases, "new-case"), ("removed case(s) (in the baseline, not in this catalog)", changes.RemovedCases, "removed-case") })
        {
            if (ids.Count == 0) continue;
            list.Add(document, "li", $"{ids.Count} {title}: {ReportChangesText.Listed(ids, id => id)}").SetAttr("class", css);
        }
    }

    private static void RenderServerUnderTest(IDocument document, IElement body, ReportServerUnderTest sut)
    {
        var section = body.Add(document, "section").SetAttr("id", "server-under-test");
        section.Add(document, "h2", $"Server under test: {sut.Target}");
        var p = sut.Policy;
        var list = section.Add(document, "ul");
        list.Add(document, "li", $"policy {sut.PolicyFile}: origins {string.Join(", ", p.AllowedOrigins)}; methods {string.Join(", ", p.AllowedMethods)}; "
            + $"headers {string.Join(", ", p.AllowedHeaders)}; exposed {string.Join(", ", p.ExposedHeaders)}; credentials {(p.AllowCredentials ? "allowed" : "not allowed")}"
            + (p.MaxAge is { } age ? $"; max-age {age}" : "") + $"; refusals probed from {p.DisallowedOrigin}");
        foreach (var r in sut.Routes) list.Add(document, "li", $"route {r.Name} ({r.Url}): {string.Join(", ", r.AllowedMethods)}").SetAttr("class", "route");
        list.Add(document, "li", "credentialed cases carry: " + (sut.Authentication.Count == 0 ? "no header or cookie of yours" : string.Join("; ", sut.Authentication) + " (values never written)"));
        if (sut.NotJudged is { Count: > 0 } notJudged)
        {
            section.Add(document, "h3", "Not judged");
            section.Add(document, "p", "Cases an engine ran but could not judge — something outside CORS stopped the call; no result, counted in neither share:");
            var reasons = section.Add(document, "ul").SetAttr("id", "not-judged");
            foreach (var n in notJudged) reasons.Add(document, "li", $"{n.Engine}: {n.Cases} case(s), the first '{n.First}': {n.Reason}").SetAttr("data-engine", n.Engine);
        }
        section.Add(document, "h3", "Protocol checks (without a browser)");
        if (sut.ProtocolChecks is null)
        {
            section.Add(document, "p", "Not in this report: the run it is of did not include them.");
            return;
        }
        var table = section.Add(document, "table").SetAttr("id", "protocol-checks");
        Row(document, table.Add(document, "thead"), "th", "route", "check", "severity", "outcome", "why");
        var rows = table.Add(document, "tbody");
        foreach (var c in sut.ProtocolChecks.OrderBy(c => c.Outcome == ReportProtocolCheck.Fail ? 0 : c.Outcome == ReportProtocolCheck.NotChecked ? 1 : 2))
        {
            var row = Row(document, rows, "td", c.Route, c.Id, c.Severity, c.Outcome, c.Message).SetAttr("data-outcome", c.Outcome);
            row.SetAttr("title", c.Title);
        }
    }

    private static void RenderDetail(IDocument document, IElement details, ReportCase c, IReadOnlyList<string> engines)
    {
        var detail = details.Add(document, "details").SetAttr("id", DetailId(c.Id)).SetAttr("data-id", c.Id).SetAttr("class", "detail");
        detail.Add(document, "summary", $"{c.Id} — {c.Description}");
        var spec = detail.Add(document, "p", "Spec: ");
        spec.AddLink(document, c.Anchor);
        detail.Add(document, "p", "Request: " + c.Request).SetAttr("class", "request");
        detail.Add(document, "p", $"The standard: {c.Expected.Outcome}, because {c.Expected.Reason}.").SetAttr("class", "expected");
        if (c.Expected.Alternatives is { Count: > 0 } alternatives)
        {
            var allowed = detail.Add(document, "ul").SetAttr("class", "allowed");
            foreach (var e in alternatives.Prepend(c.Expected)) allowed.Add(document, "li", $"allowed where {e.Choice}: {e.Outcome}, {e.Preflights} preflight(s)");
        }
        foreach (var e in engines)
        {
            if (!c.Results.TryGetValue(e, out var r)) continue;
            var block = detail.Add(document, "div").SetAttr("class", "engine-result").SetAttr("data-engine", e).SetAttr("data-verdict", r.Verdict);
            block.Add(document, "h4", $"{e}: {r.Verdict}");
            var diffs = block.Add(document, "ul");
            foreach (var d in r.Differences) diffs.Add(document, "li", d.ToString());
            if (r.Deviation is { } deviation)
            {
                var p = block.Add(document, "p", $"Known deviation: {deviation.Reason} ");
                p.AddLink(document, deviation.Link);
            }
            if (r.Chose is { } chose) block.Add(document, "p", "Chose: " + chose).SetAttr("class", "chose");
            if (r.BrowserReason is { } reason) block.Add(document, "p", "Browser's reason: " + reason).SetAttr("class", "reason");
            if (r.Evidence is { } evidence) block.Add(document, "pre", evidence).SetAttr("class", "evidence");
            if (r.Observes is not null) continue; // no journal of a server under test
            var journal = block.Add(document, "table").SetAttr("class", "journal");
            Row(document, journal, "th", "request", "hop", "status", "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "cookie");
            foreach (var j in r.Journal)
            {
                Row(document, journal, "td", (j.Preflight ? "preflight " : "") + j.Method, j.Hop.ToString(), j.Status.ToString(), j.Origin ?? "",
                    j.RequestMethod ?? "", j.RequestHeaders ?? "", j.Cookie ? "yes" : "");
            }
        }
    }

    private static IElement Row(IDocument document, IElement parent, string cell, params string[] texts)
    {
        var row = parent.Add(document, "tr");
        foreach (var text in texts) row.Add(document, cell, text);
        return row;
    }

    private static void Select(IDocument document, IElement parent, string id, string label, IEnumerable<string> values)
    {
        var wrapper = parent.Add(document, "label", label + " ");
        var select = wrapper.Add(document, "select").SetAttr("id", id);
        select.Add(document, "option", "all").SetAttr("value", "");
        foreach (var value in values) select.Add(document, "option", value).SetAttr("value", value);
    }

    private static IElement Checkbox(IDocument document, IElement parent, string id, string label)
    {
        var wrapper = parent.Add(document, "label");
        var box = wrapper.Add(document, "input").SetAttr("type", "checkbox").SetAttr("id", id);
        wrapper.AppendChild(document.CreateTextNode(" " + label));
        return box;
    }

    internal static IElement Add(this INode parent, IDocument document, string tag, string? text = null)
    {
        var element = document.CreateElement(tag);
        // A server's control characters quoted in the evidence are shown as \xNN (as in report.md), never written raw.
        if (text is not null) element.TextContent = ServerUnderTest.RawHead.EscapeControls(text);
        parent.AppendChild(element);
        return element;
    }

    /// <summary>A link where <see cref="SafeLink"/> allows one (http, https), else the same words as text.</summary>
    private static void AddLink(this INode parent, IDocument document, string? url)
    {
        if (SafeLink.Of(url) is { } safe) parent.Add(document, "a", safe).SetAttr("href", safe);
        else parent.Add(document, "span", url ?? "").SetAttr("class", "not-a-link");
    }

    /// <summary>
    /// The page's Content-Security-Policy: nothing loads from anywhere (the file is self-contained), and only the page's own
    /// style and script run, by hash — no inline handler, no injected script or style, no form, no base URL.
    /// </summary>
    public static string ContentSecurityPolicy { get; } =
        $"default-src 'none'; script-src '{Sha256(Script)}'; style-src '{Sha256(Style)}'; img-src data:; base-uri 'none'; form-action 'none'";

    private static string Sha256(string text) =>
        "sha256-" + Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));

    internal static IElement SetAttr(this IElement element, string name, string value)
    {
        element.SetAttribute(name, value);
        return element;
    }

    private const string Style = """
        body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }
        table { border-collapse: collapse; margin: .5rem 0 1rem; }
        th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
        table.steps .quote { color: #555; font-size: 12px; max-width: 48rem; }
        table.steps a.step-case { display: block; font-size: 12px; }
        .meta { color: #555; }
        #filters { display: flex; gap: 1rem; flex-wrap: wrap; align-items: center; margin: 1rem 0; }
        .verdict.conforms { background: #e6f4ea; }
        .verdict.known-deviation { background: #fff4d6; }
        .verdict.fails, .verdict.harness-error { background: #fde2e1; font-weight: 600; }
        .regression { color: #b3261e; font-weight: 600; }
        .fix { color: #1e7b34; }
        details.detail { margin: .25rem 0; }
        details.detail[open] { border-left: 3px solid #888; padding-left: .75rem; }
        .hidden { display: none; }
        #summary-table td.share { text-align: right; font-variant-numeric: tabular-nums; }
        #summary-table td.interop, #summary-table tfoot { font-weight: 600; }
        #interop { font-size: 1.15em; }
        .partial { border: 2px solid #b3261e; background: #fff4f4; padding: 0 1rem; }
        .partial .missing { color: #b3261e; font-weight: 600; }
        #full-matrix > summary { font-size: 1.2em; font-weight: 600; cursor: pointer; margin: 1rem 0; }
        #history-chart { max-width: 100%; height: auto; }
        #history-chart .grid { stroke: #ddd; }
        #history-chart .axis { font-size: 11px; fill: #555; }
        #history-chart polyline { fill: none; stroke-width: 2; }
        #history-chart .version-change { fill: none; stroke-width: 2; }
        #history-chart .build-change { fill: none; stroke-width: 2; stroke-dasharray: 3 2; stroke: #5f6368; }
        .legend { list-style: none; display: flex; gap: 1rem; padding: 0; }
        .swatch { display: inline-block; width: 1.2em; height: .35em; vertical-align: middle; }
        .s0 polyline, .s0 .version-change { stroke: #1a73e8; } .s0 .point, .swatch.s0 { fill: #1a73e8; background: #1a73e8; }
        .s1 polyline, .s1 .version-change { stroke: #e8710a; } .s1 .point, .swatch.s1 { fill: #e8710a; background: #e8710a; }
        .s2 polyline, .s2 .version-change { stroke: #188038; } .s2 .point, .swatch.s2 { fill: #188038; background: #188038; }
        .s3 polyline, .s3 .version-change { stroke: #a142f4; } .s3 .point, .swatch.s3 { fill: #a142f4; background: #a142f4; }
        .s4 polyline, .s4 .version-change { stroke: #d01884; } .s4 .point, .swatch.s4 { fill: #d01884; background: #d01884; }
        """;

    private const string Script = """
        (function () {
          var category = document.getElementById('filter-category');
          var engine = document.getElementById('filter-engine');
          var differences = document.getElementById('filter-differences');
          var failures = document.getElementById('filter-failures');
          var shown = document.getElementById('shown');
          function apply() {
            var count = 0;
            document.querySelectorAll('[data-engine]').forEach(function (cell) {
              if (cell.closest('#matrix')) cell.classList.toggle('hidden', engine.value !== '' && cell.dataset.engine !== engine.value);
            });
            document.querySelectorAll('#matrix tr.case').forEach(function (row) {
              var cells = Array.prototype.filter.call(row.querySelectorAll('td[data-verdict]'), function (cell) {
                return engine.value === '' || cell.dataset.engine === engine.value;
              });
              var visible = (category.value === '' || row.dataset.category === category.value)
                && (!differences.checked || cells.some(function (c) { return c.dataset.verdict !== 'conforms'; }))
                && (!failures.checked || cells.some(function (c) { return c.dataset.verdict === 'fails' || c.dataset.verdict === 'harness-error'; }));
              row.classList.toggle('hidden', !visible);
              if (visible) count++;
            });
            shown.textContent = count + ' case(s) shown';
          }
          [category, engine, differences, failures].forEach(function (control) { control.addEventListener('change', apply); });
          // #matrix/category=X (the summary's links) opens the matrix on that category; #case-… opens that case's detail.
          function follow() {
            var hash = location.hash.slice(1);
            if (hash.indexOf('matrix/') === 0) {
              var wanted = new URLSearchParams(hash.slice('matrix/'.length));
              if (wanted.has('category')) category.value = wanted.get('category');
              document.getElementById('full-matrix').open = true;
              apply();
              document.getElementById('full-matrix').scrollIntoView();
            } else if (hash.indexOf('case-') === 0) {
              var detail = document.getElementById(decodeURIComponent(hash));
              if (detail && detail.tagName === 'DETAILS') {
                detail.open = true;
                detail.scrollIntoView();
              }
            }
          }
          window.addEventListener('hashchange', follow);
          apply();
          follow();
        })();
        """;
}
