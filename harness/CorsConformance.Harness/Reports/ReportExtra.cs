using System.Text.Json;
using CorsConformance.Specs.Verdicts;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// The observed fields a report's observation and expectation carry by name (<see cref="ObservedFields.Extra"/>): written
/// as properties beside the others (the JSON shape a property of the record would have), read back as the values their
/// declarations say, so a report built in memory and one read from a file compare the same.
/// </summary>
public static class ReportExtra
{
    /// <summary>The values to write: none (nothing written) when no field carried by name has one.</summary>
    public static Dictionary<string, object?>? Of(ObservedValues values) =>
        values.Count == 0 ? null : values.ToDictionary(kv => kv.Key, kv => (object?)kv.Value);

    /// <summary>A field's value in a report's record: a property, or carried by name.</summary>
    public static object? Value(object record, Dictionary<string, object?>? extra, ObservedField field) =>
        field.ExtraType is null
            ? (record.GetType().GetProperty(field.PropertyName) ?? throw new InvalidOperationException($"{record.GetType().Name} has no {field.PropertyName}")).GetValue(record)
            : extra?.GetValueOrDefault(field.Name);

    /// <summary>After reading: each declared field's JSON value as its declared type (a null is no value). A name that is
    /// no declared field is refused: it was left as read, and a typo of a field (`contentReadabel`) passed as no value.</summary>
    /// <exception cref="JsonException">A declared field holds a value of another type, or a name is no field.</exception>
    public static void Read(Dictionary<string, object?>? extra)
    {
        if (extra is null) return;
        if (extra.Keys.FirstOrDefault(name => !ObservedFields.Extra.Any(f => f.Name == name)) is { } unknown)
        {
            throw new JsonException($"'{unknown}' {ReportFile.UnknownField}");
        }
        foreach (var field in ObservedFields.Extra)
        {
            if (extra.GetValueOrDefault(field.Name) is not JsonElement element) continue;
            try
            {
                var value = element.Deserialize(field.ExtraType!);
                if (value is null) extra.Remove(field.Name);
                else extra[field.Name] = value;
            }
            catch (JsonException)
            {
                throw new JsonException($"'{field.Name}' is {element.GetRawText()}; expected {Describe(field.ExtraType!)} or null");
            }
        }
    }

    private static string Describe(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(string) => "a string",
        var t when t == typeof(int) => "a number",
        var t when t == typeof(IReadOnlyList<string>) => "a list of strings",
        var t => "a " + t.Name,
    };
}
