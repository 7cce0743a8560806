namespace Gatehouse.Core.Protection;

/// <summary>A count and when it last grew (null when there is none).</summary>
public readonly record struct AttackCount(long Count, DateTimeOffset? LastAt)
{
    public static AttackCount None => new(0, null);
}

/// <summary>
/// The counters behind attack protection, shared by every node of a deployment. Each operation touches one key
/// and is atomic on it, so a Redis implementation is a handful of commands (INCR + PEXPIRE, a Lua script for the
/// bucket, SADD/SMEMBERS for the index); <see cref="InMemoryAttackCounters"/> serves a single node.
/// </summary>
public interface IAttackCounters
{
    /// <summary>Adds one to the count at <paramref name="key"/>; the key expires <paramref name="expiry"/> after this increment.</summary>
    ValueTask<AttackCount> IncrementAsync(string key, TimeSpan expiry, CancellationToken ct);

    ValueTask<AttackCount> GetAsync(string key, CancellationToken ct);

    /// <summary>Forgets the key, whatever it holds (count, bucket or set).</summary>
    ValueTask ResetAsync(string key, CancellationToken ct);

    /// <summary>
    /// A leaky bucket: its level drains by one every <paramref name="drain"/>; adds one and returns the new level. The
    /// key lives until the bucket is empty.
    /// </summary>
    ValueTask<double> FillBucketAsync(string key, TimeSpan drain, CancellationToken ct);

    /// <summary>The bucket's level now (0 when absent).</summary>
    ValueTask<double> GetBucketAsync(string key, TimeSpan drain, CancellationToken ct);

    /// <summary>Adds a member to the set at <paramref name="key"/>; the set expires <paramref name="expiry"/> after this add.</summary>
    ValueTask AddMemberAsync(string key, string member, TimeSpan expiry, CancellationToken ct);

    ValueTask<IReadOnlyList<string>> GetMembersAsync(string key, CancellationToken ct);
}
