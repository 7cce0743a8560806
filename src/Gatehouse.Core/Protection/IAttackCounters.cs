namespace Gatehouse.Core.Protection;

/// <summary>A count and when it last grew (null when there is none).</summary>
public readonly record struct AttackCount(long Count, DateTimeOffset? LastAt)
{
    public static AttackCount None => new(0, null);
}

/// <summary>
/// The counters behind attack protection, shared by every node of a deployment. Each operation touches one key
/// and is atomic on it, so a Redis implementation is a handful of commands (INCR + PEXPIRE, a Lua script for the
/// bucket, ZADD/ZRANGE for the bounded index); <see cref="InMemoryAttackCounters"/> serves a single node.
/// </summary>
public interface IAttackCounters
{
    /// <summary>
    /// Adds one to the count at <paramref name="key"/>; the key expires <paramref name="expiry"/> after this increment.
    /// From <paramref name="blockAt"/> on the count is a block: a store short of room never drops it to make room
    /// (<see cref="NeverBlocks"/> for counts that never block).
    /// </summary>
    ValueTask<AttackCount> IncrementAsync(string key, TimeSpan expiry, long blockAt, CancellationToken ct);

    ValueTask<AttackCount> GetAsync(string key, CancellationToken ct);

    /// <summary>Forgets the key, whatever it holds (count, bucket or set).</summary>
    ValueTask ResetAsync(string key, CancellationToken ct);

    /// <summary>
    /// A leaky bucket: its level drains by one every <paramref name="drain"/>; adds one and returns the new level. The
    /// key lives until the bucket is empty. From <paramref name="blockAt"/> on the level is a block (see <see cref="IncrementAsync"/>).
    /// </summary>
    ValueTask<double> FillBucketAsync(string key, TimeSpan drain, double blockAt, CancellationToken ct);

    /// <summary>The bucket's level now (0 when absent).</summary>
    ValueTask<double> GetBucketAsync(string key, TimeSpan drain, CancellationToken ct);

    /// <summary>
    /// Adds (or refreshes) a member of the set at <paramref name="key"/>; the set expires <paramref name="expiry"/> after
    /// this add. A set keeps its <see cref="MaxMembers"/> most recently added members.
    /// </summary>
    ValueTask AddMemberAsync(string key, string member, TimeSpan expiry, CancellationToken ct);

    ValueTask<IReadOnlyList<string>> GetMembersAsync(string key, CancellationToken ct);

    /// <summary>The most members a set keeps (an identifier's block index, a user's familiar addresses).</summary>
    const int MaxMembers = 64;

    /// <summary>A threshold no count reaches.</summary>
    const long NeverBlocks = long.MaxValue;
}
