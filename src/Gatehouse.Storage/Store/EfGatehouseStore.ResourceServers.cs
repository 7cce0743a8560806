using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<ResourceServer?> GetResourceServerAsync(string id, CancellationToken ct) =>
        QueryAsync(async db => (await db.ResourceServers.SingleOrDefaultAsync(r => r.Id == id, ct))?.ToRecord(), ct);

    public Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct) =>
        QueryAsync(
            async db => (await ResourceServerByIdentifier(db, identifier, ct))?.ToRecord(), ct);

    public Task<Page<ResourceServer>> ListResourceServersAsync(PageRequest page, CancellationToken ct) =>
        QueryAsync(db => PageAsync(db.ResourceServers.OrderBy(r => r.Seq), page, r => r.ToRecord(), ct), ct);

    public async Task<ResourceServer> CreateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resourceServer);
        var created = resourceServer with { Version = 1 };
        await InsertAsync(ResourceServerEntity.From(created), $"Resource server '{resourceServer.Identifier}'", ct);
        return created;
    }

    public async Task<ResourceServer> UpdateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resourceServer);
        var identifier = resourceServer.Identifier;
        var scopes = resourceServer.Scopes.Select(s => s.Value).ToList();
        await UpdateAsync(
            r => r.Id == resourceServer.Id, ResourceServerEntity.From(resourceServer),
            $"Resource server '{resourceServer.Id}'", ct, async db =>
            {
                // A scope taken off the API is no longer anyone's permission.
                await db.RolePermissions.Where(p => p.ResourceServerIdentifier == identifier && !scopes.Contains(p.PermissionName)).ExecuteDeleteAsync(ct);
                await db.UserPermissions.Where(p => p.ResourceServerIdentifier == identifier && !scopes.Contains(p.PermissionName)).ExecuteDeleteAsync(ct);
            });
        return resourceServer with { Version = resourceServer.Version + 1 };
    }

    /// <summary>Deletes the API and every role's and user's permission on it, in one transaction.</summary>
    public async Task DeleteResourceServerAsync(string id, CancellationToken ct)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(ct);
            using var entered = await writes.EnterAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var identifier = await db.ResourceServers.Where(r => r.Id == id).Select(r => r.Identifier).FirstOrDefaultAsync(ct)
                ?? throw NotFound($"Resource server '{id}'");
            await db.ResourceServers.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
            await db.RolePermissions.Where(p => p.ResourceServerIdentifier == identifier).ExecuteDeleteAsync(ct);
            await db.UserPermissions.Where(p => p.ResourceServerIdentifier == identifier).ExecuteDeleteAsync(ct);
            await transaction.CommitAsync(ct);
        }
        finally
        {
            await ConfigurationWrittenAsync<ResourceServerEntity>();
        }
    }
}
