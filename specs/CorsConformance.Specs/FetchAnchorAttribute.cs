namespace CorsConformance.Specs;

/// <summary>
/// Names the Fetch Standard anchor (the part after <c>#</c> in https://fetch.spec.whatwg.org/#…) that a rule implements.
/// Anchors, not section numbers: numbers drift, anchors don't.
/// </summary>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class | AttributeTargets.Enum | AttributeTargets.Field | AttributeTargets.Property, AllowMultiple = true)]
public sealed class FetchAnchorAttribute(string anchor) : Attribute
{
    public string Anchor { get; } = anchor;

    public string Url => FetchSpec.Url(Anchor);
}

public static class FetchSpec
{
    public const string BaseUrl = "https://fetch.spec.whatwg.org/";

    public static string Url(string anchor) => BaseUrl + "#" + anchor;
}
