using System.Text.Json;
using System.Text.Json.Serialization;

namespace CorsConformance.Harness.Reports;

/// <summary>Reads and writes report.json.</summary>
public static class ReportFile
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(Report report) => JsonSerializer.Serialize(report, Options);

    public static Report Parse(string json, string name)
    {
        Report? report;
        try
        {
            report = JsonSerializer.Deserialize<Report>(json, Options);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{name} is not a report.json: {e.Message}", e);
        }
        if (report is null) throw new FormatException($"{name} is empty");
        if (report.SchemaVersion != Report.CurrentSchemaVersion)
        {
            throw new FormatException($"{name} has schema version {report.SchemaVersion}; this version reads {Report.CurrentSchemaVersion}");
        }
        return report;
    }

    public static Report Load(string path) => Parse(File.ReadAllText(path), path);

    public static async Task WriteAsync(string path, Report report)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, Serialize(report));
    }
}
