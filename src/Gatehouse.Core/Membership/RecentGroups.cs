namespace Gatehouse.Core.Membership;

/// <summary>
/// The directory groups recent logins saw, per connection: suggestions for whoever writes a group-to-role mapping or an
/// access rule (the dashboard). Small and bounded by design: in memory on each node (lost at restart, never stored), at
/// most <see cref="PerConnection"/> groups per connection, the least recently seen dropped first, and at most that many
/// taken from one login. Fed by the token pipeline for every login (not for refreshes).
/// </summary>
public sealed class RecentGroups(TimeProvider time)
{
    public const int PerConnection = 500;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Bucket> _byConnection = new(StringComparer.Ordinal);

    /// <summary>Remembers the groups of one login through <paramref name="connectionId"/>.</summary>
    public void Observe(string connectionId, IReadOnlyList<DirectoryGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        if (groups.Count == 0)
            return;
        var bucket = _byConnection.GetOrAdd(connectionId, _ => new Bucket());
        var now = time.GetUtcNow();
        lock (bucket)
        {
            foreach (var group in groups.Take(PerConnection))
                bucket.Seen[group.Id] = (group, now);
            while (bucket.Seen.Count > PerConnection)
                bucket.Seen.Remove(bucket.Seen.MinBy(g => g.Value.At).Key);
        }
    }

    /// <summary>The groups seen through the connection, by display name (then id), each with when it was last seen.</summary>
    public IReadOnlyList<(DirectoryGroup Group, DateTimeOffset LastSeen)> For(string connectionId)
    {
        if (!_byConnection.TryGetValue(connectionId, out var bucket))
            return [];
        lock (bucket)
        {
            return [.. bucket.Seen.Values.OrderBy(g => g.Group.DisplayName ?? g.Group.Id, StringComparer.OrdinalIgnoreCase).ThenBy(g => g.Group.Id, StringComparer.Ordinal)];
        }
    }

    private sealed class Bucket
    {
        public Dictionary<string, (DirectoryGroup Group, DateTimeOffset At)> Seen { get; } = new(StringComparer.OrdinalIgnoreCase);
    }
}
