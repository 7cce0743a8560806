namespace Gatehouse.Core.Storage;

/// <summary>Applications, keyed by client id (rules: <see cref="IGatehouseStore"/>).</summary>
public interface IClientStore
{
    Task<Client?> GetClientAsync(string clientId, CancellationToken ct);
    Task<Page<Client>> ListClientsAsync(PageRequest page, CancellationToken ct);
    Task<Client> CreateClientAsync(Client client, CancellationToken ct);
    Task<Client> UpdateClientAsync(Client client, CancellationToken ct);
    Task DeleteClientAsync(string clientId, CancellationToken ct);
}
