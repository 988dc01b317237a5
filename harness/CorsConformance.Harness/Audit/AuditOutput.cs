using System.Text.Json;
using System.Text.Json.Nodes;
using CorsConformance.Specs.Model;
using CorsConformance.Specs.Policies;

namespace CorsConformance.Harness.Audit;

/// <summary>The audit's findings as JSON, and as SARIF 2.1.0 for code-scanning dashboards. Text stays text in both.</summary>
public static class AuditOutput
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Json(AuditResult result) => new JsonObject
    {
        ["target"] = result.Target.ToString(),
        ["trustedOrigin"] = result.TrustedOrigin,
        ["findings"] = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
        {
            ["class"] = f.Defect.Id,
            ["title"] = f.Defect.Title,
            ["severity"] = f.Severity.ToString().ToLowerInvariant(),
            ["probeOrigin"] = f.ProbeOrigin,
            ["message"] = f.Message,
            ["status"] = f.Response.Status,
            ["responseHeaders"] = new JsonArray(f.Response.Headers.Select(h => (JsonNode)JsonValue.Create(h.ToString())).ToArray()),
            ["curl"] = f.Curl,
            ["fetch"] = f.FetchSnippet,
            ["browserConfirmation"] = f.BrowserConfirmation,
        }).ToArray()),
        ["notChecked"] = new JsonArray(result.NotChecked.Select(n => (JsonNode)new JsonObject
        {
            ["class"] = n.Defect.Id,
            ["probeOrigin"] = n.ProbeOrigin,
            ["why"] = n.Why,
        }).ToArray()),
        ["notProbed"] = new JsonArray(result.NotProbed.Select(n => (JsonNode)new JsonObject
        {
            ["class"] = n.Defect.Id,
            ["why"] = n.Why,
        }).ToArray()),
        ["asked"] = result.Asked,
        ["notAsked"] = result.NotAsked,
    }.ToJsonString(Indented);

    /// <summary>SARIF 2.1.0: one rule per server defect the audit looks for (its help the rule's anchor in fetch.bs), one result per finding located at the audited URL.</summary>
    public static string Sarif(AuditResult result) => new JsonObject
    {
        ["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json",
        ["version"] = "2.1.0",
        ["runs"] = new JsonArray(new JsonObject
        {
            ["tool"] = new JsonObject
            {
                ["driver"] = new JsonObject
                {
                    ["name"] = "cors-conformance",
                    ["informationUri"] = "https://fetch.spec.whatwg.org/#http-cors-protocol",
                    ["rules"] = new JsonArray(ServerDefects.DetectedBy(DefectDetectors.Audit).Select(c => (JsonNode)new JsonObject
                    {
                        ["id"] = c.Id,
                        ["name"] = string.Concat(c.Id.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
                        ["shortDescription"] = new JsonObject { ["text"] = c.Title },
                        ["fullDescription"] = new JsonObject { ["text"] = c.Explanation },
                        ["helpUri"] = c.Url,
                    }).ToArray()),
                },
            },
            // A class the audit could not check is a tool execution notification, never a clean result.
            ["invocations"] = new JsonArray(new JsonObject
            {
                ["executionSuccessful"] = result.NotChecked.Count == 0,
                // The scope: what the audit asked, and what a page can send that it did not.
                ["properties"] = new JsonObject { ["asked"] = result.Asked, ["notAsked"] = result.NotAsked },
                ["toolExecutionNotifications"] = new JsonArray(result.NotChecked.Select(n => (JsonNode)new JsonObject
                {
                    ["level"] = "error",
                    ["descriptor"] = new JsonObject { ["id"] = n.Defect.Id },
                    ["message"] = new JsonObject { ["text"] = $"{n.Defect.Id} was not checked (probe from {n.ProbeOrigin}): {n.Why}" },
                }).ToArray()),
            }),
            ["results"] = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
            {
                ["ruleId"] = f.Defect.Id,
                ["level"] = f.Severity switch { Severity.High => "error", Severity.Medium => "error", Severity.Low => "warning", _ => "note" },
                ["message"] = new JsonObject { ["text"] = f.Message + (f.BrowserConfirmation is { } c ? $" ({c})" : "") },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject { ["artifactLocation"] = new JsonObject { ["uri"] = result.Target.ToString() } },
                }),
                ["properties"] = new JsonObject
                {
                    ["severity"] = f.Severity.ToString().ToLowerInvariant(),
                    ["probeOrigin"] = f.ProbeOrigin,
                    ["curl"] = f.Curl,
                    ["accessControlAllowOrigin"] = f.Response.Headers.Get(HeaderNames.AccessControlAllowOrigin),
                    ["responseHeaders"] = new JsonArray(f.Response.Headers.Select(h => (JsonNode)JsonValue.Create(h.ToString())).ToArray()),
                },
            }).ToArray()),
        }),
    }.ToJsonString(Indented);
}
