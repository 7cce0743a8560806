using System.Collections.Concurrent;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Connections;

/// <summary>
/// One live <see cref="IConnection"/> per (connection id, version): a Management API change bumps the version,
/// so the next request builds a fresh connection from the new definition, on every node.
/// </summary>
public sealed class ConnectionCache
{
    private readonly Dictionary<string, IConnectionStrategy> _strategies;
    private readonly ConcurrentDictionary<string, IConnection> _live = new(StringComparer.Ordinal);

    public ConnectionCache(IEnumerable<IConnectionStrategy> strategies)
    {
        ArgumentNullException.ThrowIfNull(strategies);
        _strategies = strategies.ToDictionary(s => s.Strategy, StringComparer.Ordinal);
    }

    public IReadOnlyCollection<string> Strategies => _strategies.Keys;

    public IConnectionStrategy? FindStrategy(string strategy) => _strategies.GetValueOrDefault(strategy);

    /// <summary>The live connection for this definition, or null when no registered strategy handles it.</summary>
    public IConnection? Get(Connection definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        if (_live.TryGetValue(definition.Id, out var live) && live.Definition.Version == definition.Version)
            return live;
        if (!_strategies.TryGetValue(definition.Strategy, out var strategy))
            return null;
        var created = strategy.Create(definition);
        // Keep the newest version when two requests race on an update.
        return _live.AddOrUpdate(definition.Id, created, (_, existing) => existing.Definition.Version >= created.Definition.Version ? existing : created);
    }
}
