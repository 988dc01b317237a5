using CorsConformance.Specs.Policies;

namespace CorsConformance.NUnit;

/// <summary>
/// What a fixture holds to a policy: the policy (<see cref="CorsPolicies"/>: from code or from the policy file) and the
/// resource a front end calls, started if need be. Made once per fixture, with a parameterless constructor; its
/// <see cref="Policy"/> is also read when the tests are discovered, so reading it must not start anything.
/// </summary>
public abstract class CorsTarget : IAsyncDisposable
{
    public abstract CorsPolicy Policy { get; }

    /// <summary>Starts what serves the resource (if anything) and returns the resource's absolute http(s) URL.</summary>
    public abstract Task<Uri> StartAsync(CancellationToken cancellationToken);

    /// <summary>How long one request may take before the case is a harness error (never a verdict): 1 ms to 1 hour.</summary>
    public virtual TimeSpan Timeout => TimeSpan.FromSeconds(10);

    /// <summary>Whether an https resource's certificate that browsers do not trust (a staging server's self-signed one) is
    /// accepted on purpose. Without it such a resource's cases fail as harness errors naming the certificate, and its
    /// protocol checks as not checked: the suite's browsers accept any certificate, your users' refuse it.</summary>
    public virtual bool AcceptAnyCertificate => false;

    public virtual ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A resource that is already running somewhere (a staging server, a container): its URL.</summary>
public abstract class UrlTarget : CorsTarget
{
    protected abstract Uri Url { get; }

    public override Task<Uri> StartAsync(CancellationToken cancellationToken) => Task.FromResult(Url);
}
