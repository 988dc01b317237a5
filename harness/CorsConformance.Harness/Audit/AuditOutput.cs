using System.Text.Json;
using System.Text.Json.Nodes;
using CorsConformance.Specs.Model;

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
            ["class"] = f.Class.Id,
            ["title"] = f.Class.Title,
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
            ["class"] = n.Class.Id,
            ["probeOrigin"] = n.ProbeOrigin,
            ["why"] = n.Why,
        }).ToArray()),
    }.ToJsonString(Indented);

    /// <summary>SARIF 2.1.0: one rule per misconfiguration class, one result per finding located at the audited URL.</summary>
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
                    ["rules"] = new JsonArray(AuditClasses.All.Select(c => (JsonNode)new JsonObject
                    {
                        ["id"] = c.Id,
                        ["name"] = string.Concat(c.Id.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
                        ["shortDescription"] = new JsonObject { ["text"] = c.Title },
                        ["fullDescription"] = new JsonObject { ["text"] = c.Explanation },
                    }).ToArray()),
                },
            },
            // A class the audit could not check is a tool execution notification, never a clean result.
            ["invocations"] = new JsonArray(new JsonObject
            {
                ["executionSuccessful"] = result.NotChecked.Count == 0,
                ["toolExecutionNotifications"] = new JsonArray(result.NotChecked.Select(n => (JsonNode)new JsonObject
                {
                    ["level"] = "error",
                    ["descriptor"] = new JsonObject { ["id"] = n.Class.Id },
                    ["message"] = new JsonObject { ["text"] = $"{n.Class.Id} was not checked (probe from {n.ProbeOrigin}): {n.Why}" },
                }).ToArray()),
            }),
            ["results"] = new JsonArray(result.Findings.Select(f => (JsonNode)new JsonObject
            {
                ["ruleId"] = f.Class.Id,
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
