using System.Collections;
using System.Collections.Immutable;

namespace CorsConformance.Specs.Verdicts;

/// <summary>
/// The values of the observed fields that an <see cref="Observation"/> and an <see cref="Expectation"/> carry by name
/// rather than as properties of their own (<see cref="ObservedFields.Extra"/>): a field declared in
/// <see cref="ObservedFields"/> needs nothing of the records. A field without a value (null: not observed, not predicted)
/// is absent. Compared by value, so records holding it still compare field by field.
/// </summary>
public sealed class ObservedValues : IEquatable<ObservedValues>, IEnumerable<KeyValuePair<string, object>>
{
    private readonly ImmutableSortedDictionary<string, object> _values;

    private ObservedValues(ImmutableSortedDictionary<string, object> values) => _values = values;

    public static ObservedValues None { get; } = new(ImmutableSortedDictionary.Create<string, object>(StringComparer.Ordinal));

    /// <summary>The field's value, or null where it has none.</summary>
    public object? this[string name] => _values.GetValueOrDefault(name);

    /// <summary>These values with the field's set (or removed, for null).</summary>
    public ObservedValues With(string name, object? value) =>
        new(value is null ? _values.Remove(name) : _values.SetItem(name, value));

    public int Count => _values.Count;

    public bool Equals(ObservedValues? other) =>
        other is not null && _values.Count == other._values.Count
        && _values.All(kv => other._values.TryGetValue(kv.Key, out var value) && ObservedField.Same(kv.Value, value));

    public override bool Equals(object? obj) => Equals(obj as ObservedValues);

    public override int GetHashCode() => _values.Keys.Aggregate(0, (hash, key) => HashCode.Combine(hash, key));

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => "{" + string.Join(", ", _values.Select(kv => $"{kv.Key}: {kv.Value}")) + "}";
}

/// <summary>A field carried by name (<see cref="ObservedValues"/>), typed: <typeparamref name="T"/> is the nullable type of
/// its value (<c>bool?</c>, <c>string?</c>), null meaning "not observed" or "not predicted".</summary>
/// <remarks>A field read from what reached the target sets <see cref="ObservedIn"/> and <see cref="Read"/>: the harness
/// applies <see cref="Read"/> to the target's journal and the oracle to the requests it says a conforming browser sends, so
/// its declaration is all there is of it. A field the page measures from what a request gave it sets <see cref="Measure"/>
/// (the page's JavaScript) and <see cref="Predict"/> (from the oracle's <see cref="PageView"/>): the runner sends the function
/// with the case's requests, matrix.js applies it, the oracle predicts with the other; its declaration is all there is of
/// it too. A field measured by matrix.js's own code (contentReadable: an img's pixels through a canvas) sets none.</remarks>
public sealed class ExtraField<T>(string name)
{
    public string Name { get; } = name;

    /// <summary>The cases that observe the field (elsewhere it stays null, and out of their snapshots).</summary>
    public Func<Model.CorsCase, bool>? ObservedIn { get; init; }

    /// <summary>The field's value, from what reached the target of the case's last request.</summary>
    public Func<Model.CorsCase, Wire, T>? Read { get; init; }

    /// <summary>How the page measures the field, on the cases that observe it (<see cref="ObservedIn"/>; all, if unset).</summary>
    public PageMeasure? Measure { get; init; }

    /// <summary>The field's value a conforming browser gives the page, from the oracle's model of what the page was handed.</summary>
    public Func<Model.CorsCase, PageView, T>? Predict { get; init; }

    public T Of(ObservedValues values) => values[Name] is T value ? value : default!;
}
