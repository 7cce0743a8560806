namespace Gatehouse.Connections.Upstream;

/// <summary>
/// An upstream call failed for infrastructure reasons: network, time-out, 5xx, throttling, a malformed answer, or a
/// circuit that is open. It counts against the authority's circuit (<see cref="UpstreamCircuit"/>). The detail names
/// the call and the failure, never a request body (it may hold a password, a secret or a code).
/// </summary>
public sealed class UpstreamCallException : Exception
{
    public UpstreamCallException(string detail, TimeSpan? retryAfter, bool upstreamSaidRetryAfter, Exception? inner = null)
        : base(detail, inner)
    {
        Detail = detail;
        RetryAfter = retryAfter;
        UpstreamSaidRetryAfter = upstreamSaidRetryAfter;
    }

    public UpstreamCallException() : this("upstream failure", null, false) { }

    public UpstreamCallException(string message) : this(message, null, false) { }

    public UpstreamCallException(string message, Exception innerException) : this(message, null, false, innerException) { }

    public string Detail { get; }

    /// <summary>How long the caller should wait before trying again, when known.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>True when <see cref="RetryAfter"/> is the upstream's own Retry-After header: the circuit then holds calls that long.</summary>
    public bool UpstreamSaidRetryAfter { get; }
}
