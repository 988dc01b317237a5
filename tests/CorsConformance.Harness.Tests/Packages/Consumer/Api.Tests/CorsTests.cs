using CorsConformance.NUnit;
using NUnit.Framework;
using CorsConformance.Specs.Policies;

namespace Api.Tests;

/// <summary>The API, started on a loopback port, held to the policy file: every case should pass.</summary>
public sealed class Api : AppTarget<Program>
{
    public override CorsPolicy Policy => CorsPolicies.FromFile("cors-policy.json");

    protected override string ResourcePath => "/api/items";
}

[TestFixture]
public sealed class ApiCors : CorsPolicyTests<Api>;

/// <summary>The same API held to a policy it does not keep (a partner origin it never allowed, and DELETE): those cases fail.</summary>
public sealed class WrongPolicy : AppTarget<Program>
{
    public override CorsPolicy Policy => CorsPolicies.Allow(
        origins: ["https://app.example.com", "https://partner.example"],
        methods: ["GET", "POST", "PUT", "DELETE"],
        headers: ["Content-Type", "X-Request-Id"],
        exposedHeaders: ["X-Total-Count"],
        credentials: true);

    protected override string ResourcePath => "/api/items";
}

[TestFixture]
public sealed class WrongPolicyCors : CorsPolicyTests<WrongPolicy>;
