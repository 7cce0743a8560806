namespace Gatehouse.Core.Protection;

/// <summary>
/// <see cref="IAttackCounters"/> in this process: right for one node. Several nodes need a shared implementation
/// (Redis) or each node counts only what it sees.
/// <para>
/// Memory is bounded by <see cref="ProtectionOptions.MaxCounters"/> units, one per key and one per set member
/// (<see cref="Units"/>). When a new key finds no room, expired keys go first, then the keys that are not blocks,
/// closest to expiring first. A block (a count at its threshold) is never dropped to make room, so a flood of made-up
/// names cannot lift a real block. When blocks alone fill the room, a new count or bucket is kept in one of
/// <see cref="OverflowSlots"/> shared slots chosen by its key (and read from there while it has no key of its own):
/// each slot counts the failures of many keys, so a block comes early, never late, and Azure AD's lockout is still
/// never reached; a new set member is then not kept.
/// </para>
/// </summary>
public sealed class InMemoryAttackCounters(TimeProvider time, ProtectionOptions options) : IAttackCounters
{
    /// <summary>Shared slots used only while blocks fill the room; they are outside <see cref="ProtectionOptions.MaxCounters"/>.</summary>
    public const int OverflowSlots = 1024;

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly Entry?[] _overflow = new Entry?[OverflowSlots];
    private readonly Lock _lock = new();
    private int _units;
    private int _blocks;
    private DateTimeOffset _nextExpiry = DateTimeOffset.MaxValue;

    private sealed class Entry
    {
        public long Count;
        public double Level;
        public DateTimeOffset LastAt;
        public DateTimeOffset ExpiresAt;
        public List<string>? Members; // oldest first
        public bool Block;
        public bool Shared; // an overflow slot, outside the room
    }

    /// <summary>Keys plus set members held now, overflow slots included: at most MaxCounters + OverflowSlots.</summary>
    public int Units
    {
        get
        {
            lock (_lock)
            {
                return _units + _overflow.Count(s => s is not null);
            }
        }
    }

    public ValueTask<AttackCount> IncrementAsync(string key, TimeSpan expiry, long blockAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Create(key, now) ?? Slot(key, now, create: true)!;
            entry.Count++;
            entry.LastAt = now;
            SetExpiry(entry, Max(entry.ExpiresAt, now + expiry));
            if (entry.Count >= blockAt)
                MarkBlock(entry);
            return ValueTask.FromResult(new AttackCount(entry.Count, now));
        }
    }

    public ValueTask<AttackCount> GetAsync(string key, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Slot(key, now, create: false);
            return ValueTask.FromResult(entry is { Count: > 0 } ? new AttackCount(entry.Count, entry.LastAt) : AttackCount.None);
        }
    }

    /// <summary>Forgets the key. A shared overflow slot is never reset: it counts other keys too.</summary>
    public ValueTask ResetAsync(string key, CancellationToken ct)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(key, out var entry))
                Remove(key, entry);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<double> FillBucketAsync(string key, TimeSpan drain, double blockAt, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Create(key, now) ?? Slot(key, now, create: true)!;
            var level = Drained(entry, now, drain) + 1;
            entry.Level = level;
            entry.LastAt = now;
            SetExpiry(entry, now + drain * level);
            if (level >= blockAt)
                MarkBlock(entry);
            return ValueTask.FromResult(level);
        }
    }

    public ValueTask<double> GetBucketAsync(string key, TimeSpan drain, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            return ValueTask.FromResult((Live(key, now) ?? Slot(key, now, create: false)) is { } entry ? Drained(entry, now, drain) : 0);
        }
    }

    public ValueTask AddMemberAsync(string key, string member, TimeSpan expiry, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            var entry = Live(key, now) ?? Create(key, now);
            if (entry is null)
                return ValueTask.CompletedTask; // no room but blocks: the set is not kept (it only lists)
            var members = entry.Members ??= [];
            if (members.Remove(member))
                _units--;
            else if (members.Count >= IAttackCounters.MaxMembers)
            {
                members.RemoveAt(0);
                _units--;
            }
            if (_units >= options.MaxCounters && (!MakeRoom(now) || !_entries.TryGetValue(key, out var kept) || kept != entry))
                return ValueTask.CompletedTask; // no room (or the set itself made room): the member is not kept
            members.Add(member);
            _units++;
            SetExpiry(entry, Max(entry.ExpiresAt, now + expiry));
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

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private void SetExpiry(Entry entry, DateTimeOffset expiresAt)
    {
        entry.ExpiresAt = expiresAt;
        if (expiresAt < _nextExpiry)
            _nextExpiry = expiresAt;
    }

    private void MarkBlock(Entry entry)
    {
        if (entry.Block)
            return;
        entry.Block = true;
        if (!entry.Shared)
            _blocks++;
    }

    private Entry? Live(string key, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(key, out var entry))
            return null;
        if (entry.ExpiresAt > now)
            return entry;
        Remove(key, entry);
        return null;
    }

    /// <summary>A new entry, seeded from its overflow slot (so leaving the slot never lowers a count); null when blocks fill the room.</summary>
    private Entry? Create(string key, DateTimeOffset now)
    {
        if (_units >= options.MaxCounters && !MakeRoom(now))
            return null;
        var entry = new Entry { LastAt = now, ExpiresAt = now };
        if (Slot(key, now, create: false) is { } slot)
        {
            entry.Count = slot.Count;
            entry.Level = slot.Level;
            entry.LastAt = slot.LastAt;
            entry.ExpiresAt = slot.ExpiresAt;
        }
        _entries[key] = entry;
        _units++;
        return entry;
    }

    private Entry? Slot(string key, DateTimeOffset now, bool create)
    {
        // The process's string hash: the slots live only in this process.
        var index = (int)((uint)StringComparer.Ordinal.GetHashCode(key) % OverflowSlots);
        if (_overflow[index] is { } slot && slot.ExpiresAt <= now)
            _overflow[index] = slot = null;
        if (_overflow[index] is null && create)
            _overflow[index] = new Entry { LastAt = now, ExpiresAt = now, Shared = true };
        return _overflow[index];
    }

    private void Remove(string key, Entry entry)
    {
        _entries.Remove(key);
        _units -= 1 + (entry.Members?.Count ?? 0);
        if (entry.Block)
            _blocks--;
    }

    /// <summary>
    /// Drops expired keys (when one may have expired), then, if that freed less than a tenth of the room, the keys that
    /// are not blocks, closest to expiring first. False when there is still no room: blocks fill it.
    /// </summary>
    private bool MakeRoom(DateTimeOffset now)
    {
        if (now >= _nextExpiry)
        {
            _nextExpiry = DateTimeOffset.MaxValue;
            foreach (var (key, entry) in _entries.ToList())
            {
                if (entry.ExpiresAt <= now)
                    Remove(key, entry);
                else if (entry.ExpiresAt < _nextExpiry)
                    _nextExpiry = entry.ExpiresAt;
            }
        }
        var target = options.MaxCounters - Math.Max(1, options.MaxCounters / 10);
        if (_units > target && _entries.Count > _blocks)
        {
            var candidates = _entries.Where(e => !e.Value.Block).OrderBy(e => e.Value.ExpiresAt).ToList();
            foreach (var (key, entry) in candidates)
            {
                if (_units <= target)
                    break;
                Remove(key, entry);
            }
        }
        return _units < options.MaxCounters;
    }
}
