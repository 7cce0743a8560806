namespace Gatehouse.Server.RateLimiting;

/// <summary>
/// <see cref="IRateLimitCounters"/> in this process: right for one node (several nodes each count what they see).
/// Memory stays bounded under a flood of new addresses: past <see cref="MaxKeys"/> buckets, empty ones are dropped
/// first, then the emptiest.
/// </summary>
public sealed class InMemoryRateLimitCounters(TimeProvider time) : IRateLimitCounters
{
    public const int MaxKeys = 100_000;

    private readonly Dictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed class Bucket
    {
        public double Level;
        public DateTimeOffset At;
        public DateTimeOffset EmptyAt;
    }

    public ValueTask<BucketLevel> TryTakeAsync(string key, int limit, double perSecond, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                if (_buckets.Count >= MaxKeys)
                    Evict(now);
                bucket = new Bucket { At = now };
                _buckets[key] = bucket;
            }
            var level = Math.Max(0, bucket.Level - (now - bucket.At).TotalSeconds * perSecond);
            var taken = level + 1 <= limit;
            if (taken)
                level += 1;
            bucket.Level = level;
            bucket.At = now;
            bucket.EmptyAt = now + TimeSpan.FromSeconds(level / perSecond);
            return ValueTask.FromResult(new BucketLevel(level, taken));
        }
    }

    private void Evict(DateTimeOffset now)
    {
        foreach (var key in _buckets.Where(b => b.Value.EmptyAt <= now).Select(b => b.Key).ToList())
            _buckets.Remove(key);
        var target = MaxKeys - MaxKeys / 10;
        if (_buckets.Count <= target)
            return;
        foreach (var key in _buckets.OrderBy(b => b.Value.EmptyAt).Take(_buckets.Count - target).Select(b => b.Key).ToList())
            _buckets.Remove(key);
    }
}
