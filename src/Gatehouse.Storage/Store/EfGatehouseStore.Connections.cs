using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<Connection?> GetConnectionAsync(string id, CancellationToken ct) =>
        QueryAsync(async db => (await db.Connections.SingleOrDefaultAsync(c => c.Id == id, ct))?.ToRecord(), ct);

    public Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct) =>
        QueryAsync(async db => (await ConnectionByName(db, name, ct))?.ToRecord(), ct);

    public Task<Page<Connection>> ListConnectionsAsync(ConnectionQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync(db =>
        {
            IQueryable<ConnectionEntity> connections = db.Connections;
            if (query.Strategies is { Count: > 0 } strategies)
            {
                var wanted = strategies.ToList();
                connections = connections.Where(c => wanted.Contains(c.Strategy));
            }
            if (query.Name is { } name)
                connections = connections.Where(c => c.Name == name);
            return PageAsync(connections.OrderBy(c => c.Seq), query.Page, c => c.ToRecord(), ct);
        }, ct);
    }

    public async Task<Connection> CreateConnectionAsync(Connection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var created = connection with { Version = 1 };
        await InsertAsync(ConnectionEntity.From(created), $"Connection '{connection.Name}'", ct);
        return created;
    }

    public async Task<Connection> UpdateConnectionAsync(Connection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await UpdateAsync(c => c.Id == connection.Id, ConnectionEntity.From(connection), $"Connection '{connection.Id}'", ct);
        return connection with { Version = connection.Version + 1 };
    }

    public async Task DeleteConnectionAsync(string id, CancellationToken ct)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            using var entered = await writes.EnterAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            if (await db.Connections.Where(c => c.Id == id).ExecuteDeleteAsync(ct) == 0)
                throw NotFound($"Connection '{id}'");
            var users = db.Users.Where(u => u.ConnectionId == id).Select(u => u.UserId);
            await db.UserRoles.Where(r => users.Contains(r.UserId)).ExecuteDeleteAsync(ct);
            await db.UserPermissions.Where(p => users.Contains(p.UserId)).ExecuteDeleteAsync(ct);
            await db.Users.Where(u => u.ConnectionId == id).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await ConfigurationWrittenAsync<ConnectionEntity>();
        }
    }
}
