using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<Client?> GetClientAsync(string clientId, CancellationToken ct) =>
        QueryAsync(async db => (await ClientById(db, clientId, ct))?.ToRecord(), ct);

    public Task<Page<Client>> ListClientsAsync(PageRequest page, CancellationToken ct) =>
        QueryAsync(db => PageAsync(db.Clients.OrderBy(c => c.Seq), page, c => c.ToRecord(), ct), ct);

    public async Task<Client> CreateClientAsync(Client client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var created = client with { Version = 1 };
        await InsertAsync(ClientEntity.From(created), $"Client '{client.ClientId}'", ct);
        return created;
    }

    public async Task<Client> UpdateClientAsync(Client client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        await UpdateAsync(c => c.ClientId == client.ClientId, ClientEntity.From(client), $"Client '{client.ClientId}'", ct);
        return client with { Version = client.Version + 1 };
    }

    public Task DeleteClientAsync(string clientId, CancellationToken ct) =>
        DeleteAsync<ClientEntity>(c => c.ClientId == clientId, $"Client '{clientId}'", ct);
}
