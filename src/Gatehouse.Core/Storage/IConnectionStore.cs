namespace Gatehouse.Core.Storage;

/// <summary>Connections, keyed by id; the name is unique too (rules: <see cref="IGatehouseStore"/>).</summary>
public interface IConnectionStore
{
    Task<Connection?> GetConnectionAsync(string id, CancellationToken ct);
    Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct);
    Task<Page<Connection>> ListConnectionsAsync(ConnectionQuery query, CancellationToken ct);
    Task<Connection> CreateConnectionAsync(Connection connection, CancellationToken ct);
    Task<Connection> UpdateConnectionAsync(Connection connection, CancellationToken ct);

    /// <summary>Deletes the connection and every user whose ConnectionId is this connection.</summary>
    Task DeleteConnectionAsync(string id, CancellationToken ct);
}
