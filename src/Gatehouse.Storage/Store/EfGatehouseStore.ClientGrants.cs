using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<ClientGrant?> GetClientGrantAsync(string id, CancellationToken ct) =>
        QueryAsync(async db => (await db.ClientGrants.SingleOrDefaultAsync(g => g.Id == id, ct))?.ToRecord(), ct);

    public Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct) =>
        QueryAsync(
            async db => (await db.ClientGrants
                .SingleOrDefaultAsync(g => g.ClientId == clientId && g.Audience == audience, ct))?.ToRecord(), ct);

    public Task<Page<ClientGrant>> ListClientGrantsAsync(ClientGrantQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync(db =>
        {
            IQueryable<ClientGrantEntity> grants = db.ClientGrants;
            if (query.ClientId is { } clientId)
                grants = grants.Where(g => g.ClientId == clientId);
            if (query.Audience is { } audience)
                grants = grants.Where(g => g.Audience == audience);
            return PageAsync(grants.OrderBy(g => g.Seq), query.Page, g => g.ToRecord(), ct);
        }, ct);
    }

    public async Task<ClientGrant> CreateClientGrantAsync(ClientGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var created = grant with { Version = 1 };
        await InsertAsync(ClientGrantEntity.From(created), $"Client grant for '{grant.ClientId}' on '{grant.Audience}'", ct);
        return created;
    }

    public async Task<ClientGrant> UpdateClientGrantAsync(ClientGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        await UpdateAsync(g => g.Id == grant.Id, ClientGrantEntity.From(grant), $"Client grant '{grant.Id}'", ct);
        return grant with { Version = grant.Version + 1 };
    }

    public Task DeleteClientGrantAsync(string id, CancellationToken ct) =>
        DeleteAsync<ClientGrantEntity>(g => g.Id == id, $"Client grant '{id}'", ct);
}
