using Gatehouse.Core.Authorization;

namespace Gatehouse.Core.Devices;

public enum DeviceStatus
{
    /// <summary>Waiting for the user (at /activate or at the provider).</summary>
    Pending,

    /// <summary>The user signed in and confirmed: the next poll gets tokens.</summary>
    Approved,

    /// <summary>The user cancelled, or the sign-in was refused.</summary>
    Denied,

    /// <summary>The device code got its tokens; any later poll is a replay.</summary>
    Redeemed,

    /// <summary>A poll was told <c>expired_token</c> (once); later polls get <c>invalid_grant</c>.</summary>
    ExpiryAnswered,
}

/// <summary>
/// One device authorization (RFC 8628 §3.2). Stored under the SHA-256 of its device code, never the code itself. The
/// user code is looked up on <c>/activate</c>; <see cref="Upstream"/> is set when the provider runs the flow (broker).
/// </summary>
/// <param name="Connection">The connection pre-set for the sign-in (from the request, or an <c>mfa_token</c>).</param>
/// <param name="LoginHint">The username pre-filled on the login page.</param>
public sealed record DeviceAuthorization(
    string DeviceCodeHash,
    string UserCode,
    string ClientId,
    string? Connection,
    string? LoginHint,
    string Scope,
    string? Audience,
    DateTimeOffset ExpiresAt,
    int IntervalSeconds)
{
    public DeviceStatus Status { get; init; } = DeviceStatus.Pending;

    /// <summary>When the app last polled (RFC 8628 §3.5: faster than the interval is <c>slow_down</c>).</summary>
    public DateTimeOffset? LastPolledAt { get; init; }

    public string? UserId { get; init; }

    /// <summary>The connection the user signed in through.</summary>
    public string? SignedInConnection { get; init; }

    public string? SessionId { get; init; }

    public DateTimeOffset? AuthTime { get; init; }

    /// <summary>Why the authorization was denied (the audit log's detail).</summary>
    public string? DenialDetail { get; init; }

    /// <summary>What the polling app hears with <c>access_denied</c> when it is more than a cancellation (an access rule).</summary>
    public string? DenialDescription { get; init; }

    public UpstreamDeviceFlow? Upstream { get; init; }

    /// <summary>
    /// Set when an <c>mfa_token</c> started this authorization: whoever approves it (at <c>/activate</c> or at the
    /// provider's device page) must be the account the password grant tried (<see cref="MfaAccountMatch"/>).
    /// </summary>
    public MfaBinding? MfaContinuation { get; init; }
}

/// <summary>The provider's side of a brokered device flow: its device code (secret, memory only) and when it may be polled next.</summary>
public sealed record UpstreamDeviceFlow(string DeviceCode, int IntervalSeconds, DateTimeOffset NextPollAt);
