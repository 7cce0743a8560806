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
        await UpdateAsync(
            r => r.Id == resourceServer.Id, ResourceServerEntity.From(resourceServer),
            $"Resource server '{resourceServer.Id}'", ct);
        return resourceServer with { Version = resourceServer.Version + 1 };
    }

    public Task DeleteResourceServerAsync(string id, CancellationToken ct) =>
        DeleteAsync<ResourceServerEntity>(r => r.Id == id, $"Resource server '{id}'", ct);
}
