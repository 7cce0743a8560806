namespace Gatehouse.Core.Protection;

/// <summary>
/// Suspicious IP throttling (stage pre-login): failed logins per address (IPv6 per /64, <see cref="ProtectionKeys.Address"/>) across all accounts in a token bucket of
/// max_attempts attempts that regains one attempt every <c>rate</c> ms (Auth0's semantics). An IP is throttled
/// while no whole attempt is left; Retry-After says when the next one is.
/// </summary>
public sealed class SuspiciousIpThrottle(AttackProtectionSettingsService settings, IAttackCounters counters)
{
    private const double Epsilon = 1e-9;

    /// <summary>How long until the IP may try again, or null when it may now.</summary>
    public async Task<TimeSpan?> RetryAfterAsync(string? ip, CancellationToken ct)
    {
        var throttling = await settings.SuspiciousIpAsync(ct);
        if (ip is null || !throttling.Blocks || IpRanges.Contains(throttling.Allowlist, ip))
            return null;
        var stage = throttling.Stage.PreLogin;
        var over = await counters.GetBucketAsync(ProtectionKeys.IpBucket(ip), Drain(stage), ct) - (stage.MaxAttempts - 1);
        return over > Epsilon ? Drain(stage) * over : null;
    }

    /// <summary>Counts a failed login; the stage when this failure used the IP's last attempt (it trips now), else null.</summary>
    public async Task<ThrottlingStage?> RecordFailureAsync(string? ip, CancellationToken ct)
    {
        var throttling = await settings.SuspiciousIpAsync(ct);
        if (ip is null || !throttling.Enabled || IpRanges.Contains(throttling.Allowlist, ip))
            return null;
        var stage = throttling.Stage.PreLogin;
        // From the last attempt on the IP is throttled: a block, never dropped for room.
        var level = await counters.FillBucketAsync(ProtectionKeys.IpBucket(ip), Drain(stage), stage.MaxAttempts, ct);
        var limit = stage.MaxAttempts - 1;
        return level - limit > Epsilon && level - 1 - limit <= Epsilon ? stage : null;
    }

    /// <summary>GET /anomaly/blocks/ips/{ip}: throttled now.</summary>
    public async Task<bool> IsBlockedAsync(string ip, CancellationToken ct) => await RetryAfterAsync(ip, ct) is not null;

    /// <summary>DELETE /anomaly/blocks/ips/{ip}: a full bucket again.</summary>
    public ValueTask UnblockAsync(string ip, CancellationToken ct) => counters.ResetAsync(ProtectionKeys.IpBucket(ip), ct);

    private static TimeSpan Drain(ThrottlingStage stage) => TimeSpan.FromMilliseconds(stage.Rate);
}
