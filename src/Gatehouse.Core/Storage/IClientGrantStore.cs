namespace Gatehouse.Core.Storage;

/// <summary>Client grants, keyed by id; one per (client, audience) (rules: <see cref="IGatehouseStore"/>).</summary>
public interface IClientGrantStore
{
    Task<ClientGrant?> GetClientGrantAsync(string id, CancellationToken ct);
    Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct);
    Task<Page<ClientGrant>> ListClientGrantsAsync(ClientGrantQuery query, CancellationToken ct);
    Task<ClientGrant> CreateClientGrantAsync(ClientGrant grant, CancellationToken ct);
    Task<ClientGrant> UpdateClientGrantAsync(ClientGrant grant, CancellationToken ct);
    Task DeleteClientGrantAsync(string id, CancellationToken ct);
}
