using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Every change to a client grant (which API scopes a client gets through client_credentials), from any door: the
/// client and the API must exist, each scope must be one the API defines, one grant per client and audience, the store
/// write, and one audit event naming the actor.
/// </summary>
public sealed class ClientGrantAdmin(IGatehouseStore store, AdminAudit audit)
{
    public async Task<ClientGrant> FindAsync(string id, CancellationToken ct) =>
        (id.Length <= 128 ? await store.GetClientGrantAsync(id, ct) : null)
        ?? throw AdminException.NotFound("The client grant does not exist", "inexistent_client_grant");

    public async Task<ClientGrant> CreateAsync(AdminActor actor, string clientId, string audience, IReadOnlyList<string> scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        if (await store.GetClientAsync(clientId, ct) is null)
            throw AdminException.NotFound($"No client found with id: {clientId}", "inexistent_client");
        var resourceServer = await ResourceServerAsync(audience, ct);
        var grant = new ClientGrant("cgr_" + Secrets.RandomAlphanumeric(16), clientId, audience, ValidScope(scope, resourceServer), 0);
        ClientGrant created;
        try
        {
            created = await store.CreateClientGrantAsync(grant, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw AdminException.Conflict("audience", "A client grant for this client and audience already exists.", "conflict");
        }
        await audit.RecordAsync(actor, new AdminChange("Create client grant", "post", "/api/v2/client-grants", 201), ct);
        return created;
    }

    /// <summary>Replaces the grant's scopes.</summary>
    public async Task<ClientGrant> UpdateScopeAsync(AdminActor actor, ClientGrant current, IReadOnlyList<string> scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(scope);
        var resourceServer = await ResourceServerAsync(current.Audience, ct);
        var saved = await store.UpdateClientGrantAsync(current with { Scope = ValidScope(scope, resourceServer) }, ct);
        await audit.RecordAsync(actor, new AdminChange("Update client grant", "patch", "/api/v2/client-grants/" + current.Id), ct);
        return saved;
    }

    public async Task DeleteAsync(AdminActor actor, string id, CancellationToken ct)
    {
        var grant = await FindAsync(id, ct);
        await store.DeleteClientGrantAsync(grant.Id, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete client grant", "delete", "/api/v2/client-grants/" + grant.Id, 204), ct);
    }

    private async Task<ResourceServer> ResourceServerAsync(string audience, CancellationToken ct) =>
        await store.GetResourceServerByIdentifierAsync(audience, ct)
        ?? throw AdminException.NotFound($"No resource server found by identifier: {audience}", "inexistent_resource_server");

    private static List<string> ValidScope(IReadOnlyList<string> scope, ResourceServer resourceServer)
    {
        if (scope.FirstOrDefault(s => resourceServer.Scopes.All(d => d.Value != s)) is { } unknown)
            throw AdminException.Invalid("scope", $"Payload validation error: 'Scope {unknown} is not defined by the resource server {resourceServer.Identifier}' on property scope.");
        return scope.Distinct(StringComparer.Ordinal).ToList();
    }
}
