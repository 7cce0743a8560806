using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>A client to create; absent values take Auth0's defaults for its app_type.</summary>
public sealed record ClientDraft(string Name)
{
    public string? AppType { get; init; }
    public string? AuthMethod { get; init; }
    public IReadOnlyList<string>? GrantTypes { get; init; }
    public bool? IsFirstParty { get; init; }
    public bool? IsTokenEndpointIpHeaderTrusted { get; init; }
    public JsonElement? Extra { get; init; }
}

/// <summary>What a change sets; null leaves a value as stored.</summary>
public sealed record ClientChanges
{
    public string? Name { get; init; }
    public string? AppType { get; init; }
    public string? AuthMethod { get; init; }

    /// <summary>A secret the caller chose (in plain text; stored protected).</summary>
    public string? Secret { get; init; }

    public IReadOnlyList<string>? GrantTypes { get; init; }
    public bool? IsFirstParty { get; init; }
    public bool? IsTokenEndpointIpHeaderTrusted { get; init; }

    /// <summary>Auth0's other settings, already merged with the stored ones.</summary>
    public JsonElement? Extra { get; init; }
}

/// <summary>
/// Every change to a client, from any door: the client rules (<see cref="ClientRules"/>), id and secret generation,
/// secret protection, the store write, and one audit event naming the actor.
/// </summary>
public sealed class ClientAdmin(IGatehouseStore store, ISecretProtector protector, TimeProvider time, AdminAudit audit)
{
    public async Task<Client> FindAsync(string id, CancellationToken ct) =>
        (id.Length <= 128 ? await store.GetClientAsync(id, ct) : null)
        ?? throw AdminException.NotFound("The client does not exist", "inexistent_client");

    /// <summary>The global client (Auth0's) is read-only.</summary>
    public static void EnsureChangeable(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.IsGlobal)
            throw AdminException.Forbidden("The global client cannot be changed.");
    }

    /// <summary>The client's secret in plain text, or null for a public client.</summary>
    public string? RevealSecret(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.ClientSecretProtected is { } value ? protector.Unprotect(value, Secrets.ClientSecretPurpose) : null;
    }

    /// <summary>The created client and, for a confidential one, its generated secret in plain text (shown once).</summary>
    public async Task<(Client Client, string? Secret)> CreateAsync(AdminActor actor, ClientDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var name = ValidName(draft.Name);
        var appType = OneOf("app_type", draft.AppType, ClientFactory.AppTypes) ?? "regular_web";
        var method = OneOf("token_endpoint_auth_method", draft.AuthMethod, ClientFactory.AuthMethods) ?? ClientFactory.DefaultAuthMethod(appType);
        var grantTypes = ValidGrantTypes(draft.GrantTypes, method) ?? ClientRules.DefaultGrantTypes(appType, method);
        var (client, secret) = ClientFactory.Create(protector, time, name, appType, method, grantTypes,
            draft.IsFirstParty ?? true, draft.IsTokenEndpointIpHeaderTrusted ?? false, draft.Extra);
        var created = await store.CreateClientAsync(client, ct);
        await audit.RecordAsync(actor, new AdminChange("Create a client", "post", "/api/v2/clients", 201), ct);
        return (created, secret);
    }

    public async Task<Client> UpdateAsync(AdminActor actor, Client current, ClientChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        EnsureChangeable(current);
        var method = OneOf("token_endpoint_auth_method", changes.AuthMethod, ClientFactory.AuthMethods) ?? current.TokenEndpointAuthMethod;
        // A client that becomes confidential gets a secret.
        var protectedSecret = changes.Secret is not null
            ? protector.Protect(changes.Secret, Secrets.ClientSecretPurpose)
            : current.ClientSecretProtected ?? (method == TokenEndpointAuthMethods.None ? null : protector.Protect(ClientFactory.NewSecret(), Secrets.ClientSecretPurpose));
        var updated = current with
        {
            Name = changes.Name is null ? current.Name : ValidName(changes.Name),
            AppType = OneOf("app_type", changes.AppType, ClientFactory.AppTypes) ?? current.AppType,
            IsFirstParty = changes.IsFirstParty ?? current.IsFirstParty,
            TokenEndpointAuthMethod = method,
            ClientSecretProtected = protectedSecret,
            GrantTypes = ValidGrantTypes(changes.GrantTypes, method) ?? current.GrantTypes,
            IsTokenEndpointIpHeaderTrusted = changes.IsTokenEndpointIpHeaderTrusted ?? current.IsTokenEndpointIpHeaderTrusted,
            Extra = changes.Extra ?? current.Extra,
        };
        if (ClientRules.PublicClientCredentialsProblem(method, updated.GrantTypes) is { } problem)
            throw AdminException.Invalid("grant_types", problem);
        var saved = await store.UpdateClientAsync(updated, ct);
        await audit.RecordAsync(actor, new AdminChange("Update a client", "patch", "/api/v2/clients/" + current.ClientId), ct);
        return saved;
    }

    /// <summary>The client with a fresh secret, and that secret in plain text (shown once); the previous one stops working.</summary>
    public async Task<(Client Client, string Secret)> RotateSecretAsync(AdminActor actor, Client current, CancellationToken ct)
    {
        EnsureChangeable(current);
        var (rotated, secret) = ClientFactory.WithNewSecret(current, protector);
        var saved = await store.UpdateClientAsync(rotated, ct);
        await audit.RecordAsync(actor, new AdminChange("Rotate a client secret", "post", $"/api/v2/clients/{current.ClientId}/rotate-secret"), ct);
        return (saved, secret);
    }

    /// <summary>Deletes the client, its client grants, and its place in every connection's enabled clients.</summary>
    public async Task DeleteAsync(AdminActor actor, string id, CancellationToken ct)
    {
        var client = await FindAsync(id, ct);
        await store.DeleteClientAsync(client.ClientId, ct);
        foreach (var grant in (await store.ListClientGrantsAsync(new ClientGrantQuery(client.ClientId, null, PageRequest.All), ct)).Items)
            await store.DeleteClientGrantAsync(grant.Id, ct);
        foreach (var connection in (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items.Where(c => c.EnabledClients.Contains(client.ClientId)))
            await store.UpdateConnectionAsync(connection with { EnabledClients = connection.EnabledClients.Where(c => c != client.ClientId).ToList() }, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a client", "delete", "/api/v2/clients/" + client.ClientId, 204), ct);
    }

    private static string ValidName(string name) =>
        ClientRules.NameProblem(name) is { } problem ? throw AdminException.Invalid("name", problem) : name;

    private static string? OneOf(string field, string? value, IReadOnlyList<string> allowed) =>
        value is not null && ClientRules.OneOfProblem(field, value, allowed) is { } problem ? throw AdminException.Invalid(field, problem) : value;

    private static List<string>? ValidGrantTypes(IReadOnlyList<string>? grants, string method)
    {
        if (grants is null)
            return null;
        if (ClientRules.GrantTypesProblem(grants, method) is { } problem)
            throw AdminException.Invalid("grant_types", problem);
        return grants.Distinct(StringComparer.Ordinal).ToList();
    }
}
