namespace Gatehouse.Server.RateLimiting;

/// <summary>A bucket's level after a take: how many requests it holds, and whether this one fitted.</summary>
public readonly record struct BucketLevel(double Level, bool Taken);

/// <summary>
/// The buckets behind rate limits, shared by every node of a deployment. One operation on one key, atomic on it,
/// so a Redis implementation is one Lua script (read level and time, drain, add one if it fits, PEXPIRE until empty);
/// <see cref="InMemoryRateLimitCounters"/> serves a single node.
/// </summary>
public interface IRateLimitCounters
{
    /// <summary>
    /// A leaky bucket of size <paramref name="limit"/> draining <paramref name="perSecond"/> requests a second: adds one
    /// when it fits (a refused request does not count) and returns the level. The key lives until the bucket is empty.
    /// </summary>
    ValueTask<BucketLevel> TryTakeAsync(string key, int limit, double perSecond, CancellationToken ct);
}
