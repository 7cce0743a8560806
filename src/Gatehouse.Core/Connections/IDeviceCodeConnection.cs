namespace Gatehouse.Core.Connections;

/// <summary>
/// A connection whose identity provider runs its own device code flow (RFC 8628), which Gatehouse can broker: the
/// user enters the provider's code on the provider's page (where its MFA and Conditional Access apply), the app polls
/// Gatehouse, Gatehouse polls the provider. Only when <see cref="DeviceCodeAtProvider"/> is on (an option of the
/// connection); otherwise the device flow signs the user in on Gatehouse's own <c>/activate</c> page.
/// </summary>
public interface IDeviceCodeConnection : IConnection
{
    /// <summary>The connection's option asks for the provider's own device code flow.</summary>
    bool DeviceCodeAtProvider { get; }

    /// <summary>Starts the provider's device code flow with the connection's app registration.</summary>
    Task<UpstreamDeviceStart> StartDeviceCodeAsync(LoginContext context, CancellationToken ct);

    /// <summary>
    /// Polls the provider once. The caller never polls faster than the provider's interval; an identity comes out only
    /// after the provider's tokens passed the same checks as on every other path of the connection.
    /// </summary>
    Task<UpstreamDevicePoll> PollDeviceCodeAsync(string deviceCode, LoginContext context, CancellationToken ct);
}

public abstract record UpstreamDeviceStart
{
    private UpstreamDeviceStart() { }

    /// <param name="DeviceCode">The provider's device code: a secret kept in memory, never sent to the app or logged.</param>
    public sealed record Started(string DeviceCode, string UserCode, Uri VerificationUri, int ExpiresIn, int Interval) : UpstreamDeviceStart;

    /// <summary>The provider refused to start (misconfiguration, unknown app). Detail only for the audit log.</summary>
    public sealed record Denied(string Error, string Description, string? Detail) : UpstreamDeviceStart;
}

public abstract record UpstreamDevicePoll
{
    private UpstreamDevicePoll() { }

    public sealed record Pending : UpstreamDevicePoll;

    /// <summary>The provider asked to slow down: the next poll waits longer.</summary>
    public sealed record SlowDown : UpstreamDevicePoll;

    public sealed record Expired : UpstreamDevicePoll;

    /// <summary>The user declined at the provider.</summary>
    public sealed record Declined(string? Detail) : UpstreamDevicePoll;

    public sealed record Authenticated(UpstreamIdentity Identity) : UpstreamDevicePoll;

    /// <summary>Any other refusal (an invalid_grant, a token that failed the checks). Detail only for the audit log.</summary>
    public sealed record Denied(string Error, string Description, string? Detail) : UpstreamDevicePoll;
}
