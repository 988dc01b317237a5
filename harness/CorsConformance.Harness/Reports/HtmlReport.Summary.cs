using System.Globalization;
using AngleSharp.Dom;

namespace CorsConformance.Harness.Reports;

/// <summary>report.html's opening view: what a partial report holds, the summary per category with the interop score,
/// and the history chart. Each is its own render method, so other sections can sit beside them.</summary>
public static partial class HtmlReport
{
    /// <summary>The link that opens the full matrix filtered to one category (the page's script reads it).</summary>
    public static string CategoryLink(string category) => "#matrix/category=" + Uri.EscapeDataString(category);

    private static void RenderPartial(IDocument document, IElement body, ReportPartial partial)
    {
        var section = body.Add(document, "section").SetAttr("id", "partial").SetAttr("class", "partial");
        section.Add(document, "h2", "Partial report" + (partial.Shards.Count > 0 ? $": shard {string.Join(", ", partial.Shards)}" : ""));
        var list = section.Add(document, "ul");
        foreach (var h in partial.Holds) list.Add(document, "li", $"{h.Engine}: results on {h.Cases} case(s)" + (h.First is null ? "" : $", {h.First} … {h.Last}")).SetAttr("class", "holds").SetAttr("data-engine", h.Engine);
        foreach (var m in partial.Missing) list.Add(document, "li", $"{m.Engine}: NO result on {m.Cases} case(s) of the catalog, {m.First} … {m.Last} — not checked here").SetAttr("class", "missing").SetAttr("data-engine", m.Engine);
        if (partial.MissingShards is { Count: > 0 } absent) list.Add(document, "li", $"shard(s) {string.Join(", ", absent)} of the split were not merged: their engines' cases are not checked here").SetAttr("class", "missing");
    }

    /// <summary>Per category and in all: the share of judged cases each engine conforms on, and the interop score.</summary>
    private static void RenderSummary(IDocument document, IElement body, Report report, IReadOnlyList<string> engines)
    {
        var section = body.Add(document, "section").SetAttr("id", "summary");
        section.Add(document, "h2", "Summary");
        var total = ReportFigures.Interop(report.Cases, engines);
        var interop = section.Add(document, "p", engines.Count == 0 ? "Interop score: — " : (report.ServerUnderTest is null
                ? $"Interop score: {total.Percent} — all {engines.Count} engine(s) conform on {total.Conforms} of {total.Judged} judged case(s)"
                : $"Interop score: {total.Percent} — in all {engines.Count} engine(s), {total.Conforms} of {total.Judged} judged case(s) do what the policy promises")
            + (total.NotJudged > 0 ? "; " : ".")).SetAttr("id", "interop");
        if (engines.Count == 0) interop.Add(document, "strong", $"no engine ran: none of the {report.Cases.Count} case(s) was checked.");
        else if (total.NotJudged > 0)
        {
            // As loud as the score: a score over the judged cases alone read "100 %" beside cases nothing checked.
            interop.Add(document, "strong", $"{total.NotJudged} case(s) not judged in every engine");
            interop.AppendChild(document.CreateTextNode($" (a harness error or no result{(report.ServerUnderTest?.NotJudged is { Count: > 0 } ? "; why: under Not judged" : "")}): not checked, counted in neither."));
        }
        if (engines.Count > 0 && ReportFigures.NotRun(report) is { Count: > 0 } notRun)
        {
            interop.AppendChild(document.CreateTextNode(" "));
            interop.Add(document, "strong", $"Not in this score: {string.Join(", ", notRun)} (did not run).");
        }
        if (report.ServerUnderTest is { } sut)
        {
            section.Add(document, "p", sut.ProtocolChecksHeadline()).SetAttr("id", "protocol-checks-headline").SetAttr("class", sut.FailedChecks.Count > 0 ? "fails" : "");
        }
        if (report.Changes is { } changes)
        {
            var line = section.Add(document, "p", changes.IsEmpty ? $"Nothing changed since {changes.Baseline}. " : $"Since {changes.Baseline}: {changes.Counts()}. ").SetAttr("id", "changes-headline");
            line.Add(document, "a", "What changed").SetAttr("href", "#changes");
        }
        var table = section.Add(document, "table").SetAttr("id", "summary-table");
        var head = table.Add(document, "thead").Add(document, "tr");
        head.Add(document, "th", "category");
        head.Add(document, "th", "cases");
        foreach (var e in engines) head.Add(document, "th", e).SetAttr("data-engine", e);
        head.Add(document, "th", "all engines (interop)");
        var rows = table.Add(document, "tbody");
        foreach (var (category, cases) in ReportFigures.Categories(report))
        {
            var row = rows.Add(document, "tr").SetAttr("data-category", category);
            row.Add(document, "td").Add(document, "a", category).SetAttr("href", CategoryLink(category)).SetAttr("class", "category-link");
            SummaryCells(document, row, cases, engines);
        }
        var all = table.Add(document, "tfoot").Add(document, "tr").SetAttr("class", "total");
        all.Add(document, "th", "all categories");
        SummaryCells(document, all, report.Cases, engines);
        section.Add(document, "p", "A share counts the cases an engine conforms on among those it judged: a known deviation is not conformance; a harness error is no verdict and counts in neither.").SetAttr("class", "meta");
    }

    private static void SummaryCells(IDocument document, IElement row, IReadOnlyList<ReportCase> cases, IReadOnlyList<string> engines)
    {
        row.Add(document, "td", cases.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var e in engines) ShareCell(document, row, ReportFigures.Engine(cases, e)).SetAttr("data-engine", e);
        ShareCell(document, row, ReportFigures.Interop(cases, engines)).SetAttr("class", "share interop");
    }

    private static IElement ShareCell(IDocument document, IElement row, Share share)
    {
        var cell = row.Add(document, "td", share.Percent).SetAttr("class", "share")
            .SetAttr("title", $"{share.Conforms} of {share.Judged} judged case(s) conform" + (share.NotJudged > 0 ? $"; {share.NotJudged} not judged" : ""))
            .SetAttr("data-conforms", share.Conforms.ToString(CultureInfo.InvariantCulture))
            .SetAttr("data-judged", share.Judged.ToString(CultureInfo.InvariantCulture));
        // In the cell, not only its tooltip: a "100.0 %" in a row of 35 cases of which 2 were judged read as full marks.
        if (share.NotJudged > 0)
        {
            cell.SetAttr("data-not-judged", share.NotJudged.ToString(CultureInfo.InvariantCulture));
            cell.Add(document, "br");
            cell.Add(document, "strong", $"{share.NotJudged} not judged").SetAttr("class", "not-judged");
        }
        return cell;
    }

    private const string SvgNamespace = "http://www.w3.org/2000/svg";

    /// <summary>Each engine's share of conforming cases night by night, this report last, as an inline SVG line chart; a ring
    /// marks a night whose engine version differs from the night before. The numbers are in a table beside it.</summary>
    private static void RenderHistory(IDocument document, IElement body, Report report)
    {
        var nights = ReportHistory.WithTonight(report);
        var engines = ReportHistory.Engines(nights);
        var section = body.Add(document, "section").SetAttr("id", "history");
        section.Add(document, "h2", $"Conformance over {nights.Count} night(s)");
        const double width = 720, height = 220, left = 52, right = 48, top = 12, bottom = 40;
        var ratios = nights.SelectMany(n => n.Engines.Select(e => e.Share.Ratio)).OfType<double>().ToList();
        var low = ratios.Count == 0 ? 0.9 : Math.Min(0.95, Math.Floor(ratios.Min() * 20) / 20);
        double X(int i) => nights.Count == 1 ? left + (width - left - right) / 2 : left + i * (width - left - right) / (nights.Count - 1);
        double Y(double ratio) => top + (1 - (ratio - low) / (1 - low)) * (height - top - bottom);
        static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);

        var svg = Svg(document, section, "svg").SetAttr("id", "history-chart").SetAttr("viewBox", $"0 0 {N(width)} {N(height)}")
            .SetAttr("width", N(width)).SetAttr("height", N(height)).SetAttr("role", "img")
            .SetAttr("aria-label", "Share of conforming cases per engine, night by night");
        foreach (var tick in new[] { low, (low + 1) / 2, 1.0 })
        {
            Svg(document, svg, "line").SetAttr("class", "grid").SetAttr("x1", N(left)).SetAttr("x2", N(width - right)).SetAttr("y1", N(Y(tick))).SetAttr("y2", N(Y(tick)));
            Svg(document, svg, "text", $"{tick * 100:0.#} %").SetAttr("class", "axis").SetAttr("x", N(left - 6)).SetAttr("y", N(Y(tick) + 4)).SetAttr("text-anchor", "end");
        }
        var every = Math.Max(1, (int)Math.Ceiling(nights.Count / 8.0));
        for (var i = 0; i < nights.Count; i++)
        {
            if (i % every != 0 && i != nights.Count - 1) continue;
            Svg(document, svg, "text", i == nights.Count - 1 ? "this report" : nights[i].GeneratedAt.ToString("MM-dd", CultureInfo.InvariantCulture))
                .SetAttr("class", "axis").SetAttr("x", N(X(i))).SetAttr("y", N(height - bottom + 16)).SetAttr("text-anchor", "middle");
        }
        for (var k = 0; k < engines.Count; k++)
        {
            var engine = engines[k];
            var points = nights.Select((n, i) => (i, Night: n, Engine: n.Engines.FirstOrDefault(e => e.Engine == engine)))
                .Where(p => p.Engine?.Share.Ratio is not null).ToList();
            var group = Svg(document, svg, "g").SetAttr("class", $"series s{k % 5}").SetAttr("data-engine", engine);
            // One line per run of consecutive nights: a night the engine did not run (or judged nothing) was bridged by a
            // line, as if it had a share that night.
            var runs = points.Select((p, k) => (p, Run: p.i - k)).GroupBy(x => x.Run, x => x.p);
            foreach (var run in runs)
            {
                Svg(document, group, "polyline").SetAttr("points", string.Join(" ", run.Select(p => $"{N(X(p.i))},{N(Y(p.Engine!.Share.Ratio!.Value))}")));
            }
            foreach (var (i, night, e) in points)
            {
                var (x, y) = (N(X(i)), N(Y(e!.Share.Ratio!.Value)));
                var dot = Svg(document, group, "circle").SetAttr("class", "point").SetAttr("cx", x).SetAttr("cy", y).SetAttr("r", "3");
                Svg(document, dot, "title", $"{engine} {night.GeneratedAt:yyyy-MM-dd}: {e.Share.Percent} ({e.Share.Conforms} of {e.Share.Judged}), version {e.Version ?? "unknown"}");
                if (ReportHistory.VersionChange(nights, i, engine) is null && ReportHistory.BuildChange(nights, i, engine) is { } build)
                {
                    var ring = Svg(document, group, "circle").SetAttr("class", "build-change").SetAttr("cx", x).SetAttr("cy", y).SetAttr("r", "7");
                    Svg(document, ring, "title", $"{engine}: another build, {build.From} → {build.To} on {night.GeneratedAt:yyyy-MM-dd}");
                }
                if (ReportHistory.VersionChange(nights, i, engine) is { } change)
                {
                    var ring = Svg(document, group, "circle").SetAttr("class", "version-change").SetAttr("cx", x).SetAttr("cy", y).SetAttr("r", "7")
                        .SetAttr("data-version", change.To ?? "");
                    Svg(document, ring, "title", $"{engine}: version {change.From ?? "unknown"} → {change.To ?? "unknown"} on {night.GeneratedAt:yyyy-MM-dd}");
                }
            }
        }
        var legend = section.Add(document, "ul").SetAttr("class", "legend");
        for (var k = 0; k < engines.Count; k++)
        {
            var item = legend.Add(document, "li").SetAttr("data-engine", engines[k]);
            item.Add(document, "span").SetAttr("class", $"swatch s{k % 5}");
            item.AppendChild(document.CreateTextNode(" " + engines[k]));
        }
        legend.Add(document, "li", "◯ engine version changed");

        var numbers = section.Add(document, "details").SetAttr("id", "history-numbers");
        numbers.Add(document, "summary", "The numbers");
        var table = numbers.Add(document, "table");
        var head = table.Add(document, "thead").Add(document, "tr");
        foreach (var text in new[] { "night", "report" }.Concat(engines).Append("interop")) head.Add(document, "th", text);
        var rows = table.Add(document, "tbody");
        for (var i = 0; i < nights.Count; i++)
        {
            var row = rows.Add(document, "tr");
            row.Add(document, "td", nights[i].GeneratedAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            row.Add(document, "td", nights[i].Source);
            foreach (var engine in engines) row.Add(document, "td", ReportHistory.Cell(nights, i, engine));
            row.Add(document, "td", nights[i].Interop.Percent);
        }
    }

    private static IElement Svg(IDocument document, INode parent, string tag, string? text = null)
    {
        var element = document.CreateElement(SvgNamespace, tag);
        if (text is not null) element.TextContent = text;
        parent.AppendChild(element);
        return element;
    }
}
