namespace Gatehouse.Connections.Upstream;

/// <summary>An id_token failed a check: a refusal of the sign-in, not an outage. The detail is for the audit log.</summary>
public sealed class IdTokenRejectedException : Exception
{
    public IdTokenRejectedException(string detail) : base(detail) => Detail = detail;

    public IdTokenRejectedException() : this("invalid id_token") { }

    public IdTokenRejectedException(string message, Exception innerException) : base(message, innerException) => Detail = message;

    public string Detail { get; }
}
