namespace Gatehouse.Core.Devices;

/// <summary>What a poll of the device code grant answers (<see cref="DeviceTransitions.Poll"/>).</summary>
public enum DevicePollStep { Unknown, OtherClient, Spent, Expired, Denied, SlowDown, Pending, PollProvider, Approved }

/// <summary>
/// The device flow's state changes as pure functions of the stored value, the updates <see cref="IDeviceAuthorizationStore.UpdateAsync"/>
/// runs atomically (and may run again on a newer value when another node wrote first). The conformance suite races them across nodes.
/// </summary>
public static class DeviceTransitions
{
    /// <summary>A user signed in for the device; unchanged unless it is pending and live.</summary>
    public static DeviceAuthorization Approve(DeviceAuthorization a, string userId, string connection, string? sessionId, DateTimeOffset authTime,
        DateTimeOffset now) =>
        a.Status != DeviceStatus.Pending || a.ExpiresAt <= now
            ? a
            : a with { Status = DeviceStatus.Approved, UserId = userId, SignedInConnection = connection, SessionId = sessionId, AuthTime = authTime };

    /// <summary>The user cancelled or the sign-in was refused; unchanged unless it is pending.</summary>
    public static DeviceAuthorization Deny(DeviceAuthorization a, string detail, string? description) =>
        a.Status != DeviceStatus.Pending ? a : a with { Status = DeviceStatus.Denied, DenialDetail = detail, DenialDescription = description };

    /// <summary>
    /// One poll of <paramref name="clientId"/> at <paramref name="now"/> (RFC 8628 §3.5): the answer, and the value that
    /// records it (the poll's time for the interval, Redeemed for the one poll that gets tokens, the next provider poll).
    /// </summary>
    public static (DevicePollStep Step, DeviceAuthorization Next) Poll(DeviceAuthorization a, string clientId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(a);
        if (a.ClientId != clientId)
            return (DevicePollStep.OtherClient, a);
        var tooSoon = a.LastPolledAt is { } last && now - last < TimeSpan.FromSeconds(a.IntervalSeconds);
        var polled = a with { LastPolledAt = now };
        return a.Status switch
        {
            DeviceStatus.Redeemed or DeviceStatus.ExpiryAnswered => (DevicePollStep.Spent, a),
            _ when a.ExpiresAt <= now => (DevicePollStep.Expired, a with { Status = DeviceStatus.ExpiryAnswered }),
            DeviceStatus.Denied => (DevicePollStep.Denied, polled),
            _ when tooSoon => (DevicePollStep.SlowDown, polled),
            DeviceStatus.Approved => (DevicePollStep.Approved, polled with { Status = DeviceStatus.Redeemed }),
            _ when a.Upstream is { } up && up.NextPollAt <= now =>
                (DevicePollStep.PollProvider, polled with { Upstream = up with { NextPollAt = now.AddSeconds(up.IntervalSeconds) } }),
            _ => (DevicePollStep.Pending, polled),
        };
    }
}
