using AngleSharp.Dom;
using AngleSharp.Html;
using AngleSharp.Html.Parser;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// report.html: one self-contained file (no network needed) built as a DOM with AngleSharp — every text goes in as text,
/// so a header value holding markup stays text. A matrix of cases × engines with the standard's verdict beside each engine,
/// filters (category, engine, only differences, only failures) and a detail view per case.
/// </summary>
public static class HtmlReport
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
        Row(document, enginesTable.Add(document, "thead"), "th", "engine", "version", "launch", "cookie policy", "conform", "known deviations", "fail", "harness errors");
        var enginesBody = enginesTable.Add(document, "tbody");
        foreach (var e in report.Engines)
        {
            var row = e.Ran
                ? Row(document, enginesBody, "td", e.Engine, e.Version ?? "", e.Launch?.Source ?? "", e.CookiePolicy.ThirdPartyCookies,
                    e.Summary.Conforms.ToString(), e.Summary.KnownDeviations.ToString(), e.Summary.Fails.ToString(), e.Summary.HarnessErrors.ToString())
                : Row(document, enginesBody, "td", e.Engine, "not run: " + (e.Unavailable ?? ""), "", "", "", "", "", "");
            row.SetAttr("data-engine", e.Engine);
        }

        if (report.Changes is { } changes) RenderChanges(document, body, changes);
        RenderStandardSteps(document, body, report, engines);
        if (report.ServerUnderTest is { } sut) RenderServerUnderTest(document, body, sut);

        var filters = body.Add(document, "section").SetAttr("id", "filters");
        Select(document, filters, "filter-category", "Category", report.Cases.Select(c => c.Category).Distinct());
        Select(document, filters, "filter-engine", "Engine", engines);
        Checkbox(document, filters, "filter-differences", "only differences from the standard");
        Checkbox(document, filters, "filter-failures", "only failures");
        filters.Add(document, "span").SetAttr("id", "shown");

        var matrix = body.Add(document, "table").SetAttr("id", "matrix");
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
            }
            RenderDetail(document, details, c, engines);
        }
        body.Add(document, "script", Script);
        using var writer = new StringWriter();
        document.ToHtml(writer, new PrettyMarkupFormatter());
        return writer.ToString();
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
        foreach (var v in changes.EngineVersions) list.Add(document, "li", $"{v.Engine}: version {v.From ?? "none"} → {v.To ?? "none"}").SetAttr("class", "version-change");
        foreach (var (title, items, css) in new[] { ("new failure", changes.NewFailures, "regression"), ("fix", changes.Fixes, "fix"), ("behaviour change", changes.BehaviourChanges, "behaviour") })
        {
            foreach (var c in items)
            {
                list.Add(document, "li", $"{title}: {c.Engine} {c.Case}: {c.From} → {c.To}" + (c.Fields.Count > 0 ? $" ({string.Join(", ", c.Fields)})" : ""))
                    .SetAttr("class", css).SetAttr("data-case", c.Case).SetAttr("data-engine", c.Engine);
            }
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

    private static void Checkbox(IDocument document, IElement parent, string id, string label)
    {
        var wrapper = parent.Add(document, "label");
        wrapper.Add(document, "input").SetAttr("type", "checkbox").SetAttr("id", id);
        wrapper.AppendChild(document.CreateTextNode(" " + label));
    }

    private static IElement Add(this INode parent, IDocument document, string tag, string? text = null)
    {
        var element = document.CreateElement(tag);
        if (text is not null) element.TextContent = text;
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

    private static IElement SetAttr(this IElement element, string name, string value)
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
          apply();
        })();
        """;
}
