using Gatehouse.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Core.Protection;

/// <summary>What attack protection does while its shared counters cannot be reached (<c>Redis:AttackProtectionWhenDown</c>).</summary>
public enum AttackProtectionWhenDown
{
    /// <summary>Logins are refused with 503 temporarily_unavailable: no password is checked that the counters cannot limit.</summary>
    FailClosed,

    /// <summary>Logins go ahead uncounted: nothing is blocked or throttled until the counters are back.</summary>
    FailOpen,
}

/// <summary>
/// Applies <see cref="AttackProtectionWhenDown"/> around shared counters: closed lets the
/// <see cref="SharedStateUnavailableException"/> through (the caller refuses), open answers "nothing counted" and
/// forgets the write. Either way the outage is logged, without the key.
/// </summary>
public sealed partial class AttackCountersWhenDown(IAttackCounters inner, AttackProtectionWhenDown mode, ILogger<AttackCountersWhenDown> logger) : IAttackCounters
{
    public AttackProtectionWhenDown Mode => mode;

    public ValueTask<AttackCount> IncrementAsync(string key, TimeSpan expiry, long blockAt, CancellationToken ct) =>
        Guard(() => inner.IncrementAsync(key, expiry, blockAt, ct), new AttackCount(1, null));

    public ValueTask<AttackCount> GetAsync(string key, CancellationToken ct) => Guard(() => inner.GetAsync(key, ct), AttackCount.None);

    public async ValueTask ResetAsync(string key, CancellationToken ct) =>
        await Guard(async () => { await inner.ResetAsync(key, ct); return true; }, true);

    // Open: an empty bucket, so the request is let through (level 1 after the fill).
    public ValueTask<double> FillBucketAsync(string key, TimeSpan drain, double blockAt, CancellationToken ct) =>
        Guard(() => inner.FillBucketAsync(key, drain, blockAt, ct), 1d);

    public ValueTask<double> GetBucketAsync(string key, TimeSpan drain, CancellationToken ct) => Guard(() => inner.GetBucketAsync(key, drain, ct), 0d);

    public async ValueTask AddMemberAsync(string key, string member, TimeSpan expiry, CancellationToken ct) =>
        await Guard(async () => { await inner.AddMemberAsync(key, member, expiry, ct); return true; }, true);

    public ValueTask<IReadOnlyList<string>> GetMembersAsync(string key, CancellationToken ct) =>
        Guard(() => inner.GetMembersAsync(key, ct), (IReadOnlyList<string>)[]);

    private async ValueTask<T> Guard<T>(Func<ValueTask<T>> call, T whenOpen)
    {
        try
        {
            return await call();
        }
        catch (SharedStateUnavailableException e)
        {
            CountersUnavailable(logger, mode, e.Message);
            if (mode == AttackProtectionWhenDown.FailClosed)
                throw;
            return whenOpen;
        }
    }

    [LoggerMessage(EventId = 1870, EventName = "AttackCountersUnavailable", Level = LogLevel.Warning,
        Message = "Attack-protection counters unavailable, failing {Mode}: {Reason}")]
    private static partial void CountersUnavailable(ILogger log, AttackProtectionWhenDown mode, string reason);
}
