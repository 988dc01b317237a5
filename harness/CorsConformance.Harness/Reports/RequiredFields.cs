using System.Collections;
using System.Reflection;

namespace CorsConformance.Harness.Reports;

/// <summary>
/// The first field of a deserialized document that its C# type declares non-nullable but that is null (missing from the
/// JSON, or null there), as a JSON path (`cases[1].expected`). The records' own nullability is the schema, so no list of
/// required fields is kept by hand.
/// </summary>
public static class RequiredFields
{
    public static string? FirstMissing(object document) => Walk(document, "", new NullabilityInfoContext());

    private static string? Walk(object value, string path, NullabilityInfoContext nullability)
    {
        switch (value)
        {
            case string:
                return null;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    var at = $"{path}.{entry.Key}";
                    if (entry.Value is null) return at.TrimStart('.');
                    if (Walk(entry.Value, at, nullability) is { } missing) return missing;
                }
                return null;
            case IEnumerable list:
                var index = 0;
                foreach (var item in list)
                {
                    var at = $"{path}[{index++}]";
                    if (item is null) return at.TrimStart('.');
                    if (Walk(item, at, nullability) is { } missing) return missing;
                }
                return null;
        }
        var type = value.GetType();
        if (!type.IsClass || type.Namespace?.StartsWith("CorsConformance", StringComparison.Ordinal) != true) return null;
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0 && p.GetMethod is not null))
        {
            if (property.Name == "EqualityContract") continue;
            var at = $"{path}.{char.ToLowerInvariant(property.Name[0])}{property.Name[1..]}";
            var field = property.GetValue(value);
            if (field is null)
            {
                if (nullability.Create(property).ReadState == NullabilityState.NotNull) return at.TrimStart('.');
                continue;
            }
            if (Walk(field, at, nullability) is { } missing) return missing;
        }
        return null;
    }
}
