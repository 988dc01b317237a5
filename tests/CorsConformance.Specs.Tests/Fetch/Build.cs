using CorsConformance.Specs.Model;

namespace CorsConformance.Specs.Tests.Fetch;

/// <summary>Builders for oracle tests: a case is data, so a test states only what it varies.</summary>
internal static class Build
{
    public static Header H(string name, string value) => new(name, value);

    public static ResponsePlan Ok(params Header[] headers) => new(200, headers);

    public static CorsCase Case(
        RequestSpec? request = null,
        ResponsePlan? preflight = null,
        ResponsePlan? actual = null,
        RedirectPlan? redirect = null,
        Topology? origins = null) =>
        new("test/case", "concept-cors-check", "a test case", origins ?? Topology.Default,
            request ?? RequestSpec.Get, new ServerPlan(preflight ?? ResponsePlan.Empty, actual ?? ResponsePlan.Empty, redirect));

    public static RequestSpec Request(
        string method = "GET",
        CredentialsMode credentials = CredentialsMode.SameOrigin,
        Api api = Api.Fetch,
        string? body = null,
        int repeat = 1,
        params Header[] headers) => new(api, method, headers, credentials, body, repeat);

    public static Header Acao(string value = Placeholders.Origin) => H(HeaderNames.AccessControlAllowOrigin, value);

    public static Header Acac(string value = "true") => H(HeaderNames.AccessControlAllowCredentials, value);
}
