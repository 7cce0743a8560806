namespace Gatehouse.Core.Connections;

/// <summary>
/// An upstream identity provider could not answer (network, time-out, 5xx, throttling, open circuit, malformed
/// response). The server maps it to 503 <c>temporarily_unavailable</c> with <c>Retry-After</c> when known.
/// The message and <see cref="Detail"/> are for operators and the audit log: they never hold a password.
/// </summary>
public sealed class UpstreamUnavailableException : Exception
{
    public UpstreamUnavailableException(string connectionName, TimeSpan? retryAfter, string detail)
        : this(connectionName, retryAfter, detail, null)
    {
    }

    public UpstreamUnavailableException(string connectionName, TimeSpan? retryAfter, string detail, Exception? innerException)
        : base($"The identity provider of connection '{connectionName}' is unavailable: {detail}", innerException)
    {
        ConnectionName = connectionName;
        RetryAfter = retryAfter;
        Detail = detail;
    }

    public UpstreamUnavailableException() : this("unknown", null, "unavailable") { }

    public UpstreamUnavailableException(string message) : this("unknown", null, message) { }

    public UpstreamUnavailableException(string message, Exception innerException) : this("unknown", null, message, innerException) { }

    public string ConnectionName { get; }

    /// <summary>How long the caller should wait before trying again, when the upstream said or the circuit is open.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>What failed, for the audit log (status, AADSTS code, trace and correlation ids).</summary>
    public string Detail { get; }
}
