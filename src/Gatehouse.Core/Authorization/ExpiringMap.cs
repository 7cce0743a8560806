namespace Gatehouse.Core.Authorization;

/// <summary>
/// A bounded in-memory map whose entries expire: the short-lived state of a browser sign-in (transactions, codes,
/// federated states). Entries leave in the order they were written or rewritten, so the oldest go first when
/// <see cref="Capacity"/> is reached: a flood of requests costs at most <see cref="Capacity"/> entries, never more.
/// </summary>
public sealed class ExpiringMap<TValue>(int capacity, TimeProvider time)
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (TValue Value, DateTimeOffset ExpiresAt, LinkedListNode<string> Node)> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<string> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "The capacity must be at least 1.");

    /// <summary>Entries held now, expired ones included until the next write sweeps them.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
                return _entries.Count;
        }
    }

    /// <summary>Writes (or rewrites) the entry; sweeps expired entries and evicts the oldest beyond the capacity.</summary>
    public void Set(string key, TValue value, DateTimeOffset expiresAt)
    {
        lock (_gate)
        {
            RemoveLocked(key);
            Sweep();
            while (_entries.Count >= Capacity)
                RemoveLocked(_order.First!.Value);
            _entries[key] = (value, expiresAt, _order.AddLast(key));
        }
    }

    /// <summary>The live entry, or default.</summary>
    public bool TryGet(string key, out TValue value)
    {
        lock (_gate)
        {
            if (_entries.TryGetValue(key, out var entry) && entry.ExpiresAt > time.GetUtcNow())
            {
                value = entry.Value;
                return true;
            }
            value = default!;
            return false;
        }
    }

    /// <summary>Removes the live entry and returns it: exactly one caller gets it (single use).</summary>
    public bool TryTake(string key, out TValue value)
    {
        lock (_gate)
        {
            var live = TryGet(key, out value);
            RemoveLocked(key);
            return live;
        }
    }

    /// <summary>Reads and replaces the live entry in one step (e.g. mark a code used); false when there is none.</summary>
    public bool TryUpdate(string key, Func<TValue, (TValue Value, DateTimeOffset ExpiresAt)> update, out TValue before)
    {
        ArgumentNullException.ThrowIfNull(update);
        lock (_gate)
        {
            if (!TryGet(key, out before))
                return false;
            var (value, expiresAt) = update(before);
            Set(key, value, expiresAt);
            return true;
        }
    }

    public bool Remove(string key)
    {
        lock (_gate)
            return RemoveLocked(key);
    }

    private bool RemoveLocked(string key)
    {
        if (!_entries.Remove(key, out var entry))
            return false;
        _order.Remove(entry.Node);
        return true;
    }

    /// <summary>Drops expired entries from the oldest end (entries mostly expire in the order they were written).</summary>
    private void Sweep()
    {
        var now = time.GetUtcNow();
        while (_order.First is { } oldest && _entries[oldest.Value].ExpiresAt <= now)
            RemoveLocked(oldest.Value);
    }
}
