using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

/// <summary>
/// The lookups every login makes, compiled once (EF.CompileAsyncQuery) instead of looked up in EF's query cache
/// on each call: that lookup hashes and rewrites the whole expression tree, a visible share of a login's CPU in
/// the benchmark profile (docs/benchmarks.md). Same SQL, same results; static per context type.
/// </summary>
internal sealed partial class EfGatehouseStore<TContext>
{
    private static readonly Func<TContext, string, CancellationToken, Task<ClientEntity?>> ClientById =
        EF.CompileAsyncQuery((TContext db, string id, CancellationToken ct) => db.Clients.SingleOrDefault(c => c.ClientId == id));

    private static readonly Func<TContext, string, CancellationToken, Task<ConnectionEntity?>> ConnectionByName =
        EF.CompileAsyncQuery((TContext db, string name, CancellationToken ct) => db.Connections.SingleOrDefault(c => c.Name == name));

    private static readonly Func<TContext, string, CancellationToken, Task<ResourceServerEntity?>> ResourceServerByIdentifier =
        EF.CompileAsyncQuery((TContext db, string identifier, CancellationToken ct) => db.ResourceServers.SingleOrDefault(r => r.Identifier == identifier));

    private static readonly Func<TContext, CancellationToken, Task<TenantSettingsEntity?>> Tenant =
        EF.CompileAsyncQuery((TContext db, CancellationToken ct) => db.TenantSettings.SingleOrDefault());

    private static readonly Func<TContext, string, CancellationToken, Task<UserEntity?>> UserById =
        EF.CompileAsyncQuery((TContext db, string id, CancellationToken ct) => db.Users.SingleOrDefault(u => u.UserId == id));

    private static readonly Func<TContext, string, string, CancellationToken, Task<UserEntity?>> UserByExternalKey =
        EF.CompileAsyncQuery((TContext db, string connectionId, string key, CancellationToken ct) =>
            db.Users.SingleOrDefault(u => u.ConnectionId == connectionId && u.ExternalKey == key));
}
