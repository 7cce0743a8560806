namespace Gatehouse.Core.Storage;

/// <summary>APIs, keyed by id; the identifier (audience) is unique too (rules: <see cref="IGatehouseStore"/>).</summary>
public interface IResourceServerStore
{
    Task<ResourceServer?> GetResourceServerAsync(string id, CancellationToken ct);
    Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct);
    Task<Page<ResourceServer>> ListResourceServersAsync(PageRequest page, CancellationToken ct);
    Task<ResourceServer> CreateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct);
    Task<ResourceServer> UpdateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct);
    Task DeleteResourceServerAsync(string id, CancellationToken ct);
}
