namespace Gatehouse.Storage.Cluster;

/// <summary>What a node tells the others it changed: they drop what they cached of it.</summary>
internal enum ChangeKind
{
    /// <summary>Tenant configuration (what ConfigCache keeps).</summary>
    Configuration,

    /// <summary>The signing keys (what SigningKeyService keeps as its ring).</summary>
    SigningKeys,
}

/// <summary>
/// Tells the other nodes on the same database that this one changed something they cache. <see cref="Received"/> is
/// raised for other nodes' changes only (this node's own writes raise the store's events directly), and for every kind
/// when the feed (re)connects, since changes made while it was not listening were missed.
/// </summary>
internal interface IChangeFeed
{
    event Action<ChangeKind>? Received;

    /// <summary>Returns once every listening node has been sent the change (or the feed gave up: the timer still holds).</summary>
    Task PublishAsync(ChangeKind kind);
}

/// <summary>Single-node backends (SQLite, memory): nothing to tell.</summary>
internal sealed class NoChangeFeed : IChangeFeed
{
    public event Action<ChangeKind>? Received { add { } remove { } }

    public Task PublishAsync(ChangeKind kind) => Task.CompletedTask;
}
