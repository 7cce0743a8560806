namespace Gatehouse.Core.Protection;

/// <summary>
/// <see cref="IAttackCounters"/> in this process: right for one node. Several nodes need a shared implementation
/// (Redis) or each node counts only what it sees. At most <see cref="ProtectionOptions.MaxCounters"/> keys: past
/// that, expired keys are dropped first, then those closest to expiring, so memory stays bounded under a flood of
/// made-up usernames.
/// </summary>
public sealed class InMemoryAttackCounters(TimeProvider time, ProtectionOptions options) : IAttackCounters
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private sealed class Entry
    {
        public long Count;
        public double Level;
        public DateTimeOffset LastAt;
        public DateTimeOffset ExpiresAt;
        public HashSet<string>? Members;
    }

    public ValueTask<AttackCount> IncrementAsync(string key, TimeSpan expiry, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Add(key, now);
            entry.Count++;
            entry.LastAt = now;
            entry.ExpiresAt = now + expiry;
            return ValueTask.FromResult(new AttackCount(entry.Count, now));
        }
    }

    public ValueTask<AttackCount> GetAsync(string key, CancellationToken ct)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(Live(key, time.GetUtcNow()) is { Count: > 0 } entry ? new AttackCount(entry.Count, entry.LastAt) : AttackCount.None);
        }
    }

    public ValueTask ResetAsync(string key, CancellationToken ct)
    {
        lock (_lock)
        {
            _entries.Remove(key);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<double> FillBucketAsync(string key, TimeSpan drain, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Add(key, now);
            var level = Drained(entry, now, drain) + 1;
            entry.Level = level;
            entry.LastAt = now;
            entry.ExpiresAt = now + drain * level;
            return ValueTask.FromResult(level);
        }
    }

    public ValueTask<double> GetBucketAsync(string key, TimeSpan drain, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return ValueTask.FromResult(Live(key, now) is { } entry ? Drained(entry, now, drain) : 0);
        }
    }

    public ValueTask AddMemberAsync(string key, string member, TimeSpan expiry, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Add(key, now);
            (entry.Members ??= new HashSet<string>(StringComparer.Ordinal)).Add(member);
            entry.ExpiresAt = now + expiry;
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> GetMembersAsync(string key, CancellationToken ct)
    {
        lock (_lock)
        {
            IReadOnlyList<string> members = Live(key, time.GetUtcNow())?.Members?.ToList() ?? [];
            return ValueTask.FromResult(members);
        }
    }

    private static double Drained(Entry entry, DateTimeOffset now, TimeSpan drain) =>
        Math.Max(0, entry.Level - (now - entry.LastAt) / drain);

    private Entry? Live(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (entry.ExpiresAt > now)
            return entry;
        _entries.Remove(key);
        return null;
    }

    private Entry Add(string key, DateTimeOffset now)
    {
        if (_entries.Count >= options.MaxCounters)
            Evict(now);
        var entry = new Entry { LastAt = now, ExpiresAt = now };
        _entries[key] = entry;
        return entry;
    }

    /// <summary>Drops expired keys; if that frees less than a tenth of the room, those closest to expiring too.</summary>
    private void Evict(DateTimeOffset now)
    {
        foreach (var key in _entries.Where(e => e.Value.ExpiresAt <= now).Select(e => e.Key).ToList())
            _entries.Remove(key);
        var target = options.MaxCounters - Math.Max(1, options.MaxCounters / 10);
        if (_entries.Count <= target)
            return;
        foreach (var key in _entries.OrderBy(e => e.Value.ExpiresAt).Take(_entries.Count - target).Select(e => e.Key).ToList())
            _entries.Remove(key);
    }
}
