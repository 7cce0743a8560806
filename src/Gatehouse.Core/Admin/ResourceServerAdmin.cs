using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>An API's settings beside its identifier, as a create or a change gives them; null means "not given".</summary>
public abstract record ResourceServerSettings
{
    public string? Name { get; init; }
    public string? SigningAlg { get; init; }
    public IReadOnlyList<ResourceServerScope>? Scopes { get; init; }
    public int? TokenLifetime { get; init; }
    public int? TokenLifetimeForWeb { get; init; }
    public bool? AllowOfflineAccess { get; init; }
    public bool? SkipConsentForVerifiableFirstPartyClients { get; init; }

    /// <summary>Auth0's other settings; in a change, already merged with the stored ones.</summary>
    public JsonElement? Extra { get; init; }
}

/// <summary>An API to create; absent values take Auth0's defaults.</summary>
public sealed record ResourceServerDraft(string Identifier) : ResourceServerSettings;

/// <summary>What a change sets; null leaves a value as stored.</summary>
public sealed record ResourceServerChanges : ResourceServerSettings;

/// <summary>
/// Every change to a resource server (an API), from any door: RS256 only, scope values, one API per identifier, the
/// Management API itself read-only except to Gatehouse at start, deleting an API's client grants with it, the store
/// write, and one audit event naming the actor.
/// </summary>
public sealed class ResourceServerAdmin(IGatehouseStore store, AdminAudit audit)
{
    public const string SupportedSigningAlg = "RS256";

    /// <summary>By id, or by identifier (Auth0 accepts either in the path).</summary>
    public async Task<ResourceServer> FindAsync(string idOrIdentifier, CancellationToken ct) =>
        (idOrIdentifier.Length > 600 ? null : await store.GetResourceServerAsync(idOrIdentifier, ct) ?? await store.GetResourceServerByIdentifierAsync(idOrIdentifier, ct))
        ?? throw AdminException.NotFound("The resource server does not exist", "inexistent_resource_server");

    /// <summary>The Management API's own resource server is read-only (Gatehouse keeps it in step at start).</summary>
    public static void EnsureChangeable(ResourceServer resourceServer)
    {
        ArgumentNullException.ThrowIfNull(resourceServer);
        if (resourceServer.IsSystem)
            throw AdminException.Forbidden("The Management API is a system resource server and cannot be changed.");
    }

    public async Task<ResourceServer> CreateAsync(AdminActor actor, ResourceServerDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ValidAlg(draft.SigningAlg);
        var resourceServer = new ResourceServer(
            Id: Secrets.RandomHex(12),
            Identifier: draft.Identifier,
            Name: draft.Name ?? draft.Identifier,
            Scopes: ValidScopes(draft.Scopes) ?? [],
            SigningAlg: SupportedSigningAlg,
            TokenLifetime: draft.TokenLifetime ?? 86400,
            TokenLifetimeForWeb: draft.TokenLifetimeForWeb ?? 7200,
            AllowOfflineAccess: draft.AllowOfflineAccess ?? false,
            SkipConsentForVerifiableFirstPartyClients: draft.SkipConsentForVerifiableFirstPartyClients ?? true,
            IsSystem: false,
            Extra: draft.Extra,
            Version: 0);
        return await CreateCheckedAsync(actor, resourceServer, ct);
    }

    public async Task<ResourceServer> UpdateAsync(AdminActor actor, ResourceServer current, ResourceServerChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        EnsureChangeable(current);
        ValidAlg(changes.SigningAlg);
        var updated = current with
        {
            Name = changes.Name ?? current.Name,
            Scopes = ValidScopes(changes.Scopes) ?? current.Scopes,
            TokenLifetime = changes.TokenLifetime ?? current.TokenLifetime,
            TokenLifetimeForWeb = changes.TokenLifetimeForWeb ?? current.TokenLifetimeForWeb,
            AllowOfflineAccess = changes.AllowOfflineAccess ?? current.AllowOfflineAccess,
            SkipConsentForVerifiableFirstPartyClients = changes.SkipConsentForVerifiableFirstPartyClients ?? current.SkipConsentForVerifiableFirstPartyClients,
            Extra = changes.Extra ?? current.Extra,
        };
        var saved = await store.UpdateResourceServerAsync(updated, ct);
        await audit.RecordAsync(actor, new AdminChange("Update a resource server", "patch", "/api/v2/resource-servers/" + current.Id), ct);
        return saved;
    }

    /// <summary>Deletes the API and every client grant to it.</summary>
    public async Task DeleteAsync(AdminActor actor, string idOrIdentifier, CancellationToken ct)
    {
        var current = await FindAsync(idOrIdentifier, ct);
        if (current.IsSystem)
            throw AdminException.Forbidden("The Management API is a system resource server and cannot be deleted.");
        await store.DeleteResourceServerAsync(current.Id, ct);
        foreach (var grant in (await store.ListClientGrantsAsync(new ClientGrantQuery(null, current.Identifier, PageRequest.All), ct)).Items)
            await store.DeleteClientGrantAsync(grant.Id, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a resource server", "delete", "/api/v2/resource-servers/" + current.Id, 204), ct);
    }

    /// <summary>Creates the Management API's system resource server; only Gatehouse itself does, at start.</summary>
    public Task<ResourceServer> CreateSystemAsync(AdminActor actor, ResourceServer system, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(system);
        EnsureSystemActor(actor);
        return CreateCheckedAsync(actor, system with { IsSystem = true }, ct);
    }

    /// <summary>
    /// Saves the system resource server as Gatehouse keeps it in step with the issuer (its identifier, its scopes, its
    /// record of the bootstrap client); only Gatehouse itself does, at start.
    /// </summary>
    public async Task<ResourceServer> UpdateSystemAsync(AdminActor actor, ResourceServer updated, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(updated);
        EnsureSystemActor(actor);
        if (!updated.IsSystem)
            throw new ArgumentException("Not the system resource server.", nameof(updated));
        var saved = await store.UpdateResourceServerAsync(updated, ct);
        await audit.RecordAsync(actor, new AdminChange("Update a resource server", "patch", "/api/v2/resource-servers/" + updated.Id), ct);
        return saved;
    }

    /// <summary>Auth0 signs access tokens with RS256 or HS256; Gatehouse with RS256 only.</summary>
    public static string? SigningAlgProblem(string? alg) =>
        alg is null || alg == SupportedSigningAlg ? null : "Payload validation error: 'Only RS256 is supported' on property signing_alg.";

    /// <summary>The first problem with a list of scopes (values non-empty, at most 280 characters, no spaces, no duplicates).</summary>
    public static AdminProblem? ScopesProblem(IReadOnlyList<ResourceServerScope> scopes)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < scopes.Count; i++)
        {
            var value = scopes[i].Value;
            if (value.Length is 0 or > 280 || value.Contains(' ', StringComparison.Ordinal))
                return new($"scopes[{i}].value", $"Payload validation error: 'value must be a non-empty string of at most 280 characters without spaces' on property scopes[{i}].value.");
            if (!seen.Add(value))
                return new("scopes", $"Payload validation error: 'Duplicate scope {value}' on property scopes.");
        }
        return null;
    }

    private async Task<ResourceServer> CreateCheckedAsync(AdminActor actor, ResourceServer resourceServer, CancellationToken ct)
    {
        ResourceServer created;
        try
        {
            created = await store.CreateResourceServerAsync(resourceServer, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw AdminException.Conflict("identifier", "A resource server with the same identifier already exists", "conflict");
        }
        await audit.RecordAsync(actor, new AdminChange("Create a resource server", "post", "/api/v2/resource-servers", 201), ct);
        return created;
    }

    private static void EnsureSystemActor(AdminActor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Channel != AdminChannel.System)
            throw AdminException.Forbidden("The Management API is a system resource server and cannot be changed.");
    }

    private static void ValidAlg(string? alg)
    {
        if (SigningAlgProblem(alg) is { } problem)
            throw AdminException.Invalid("signing_alg", problem);
    }

    private static IReadOnlyList<ResourceServerScope>? ValidScopes(IReadOnlyList<ResourceServerScope>? scopes) =>
        scopes is not null && ScopesProblem(scopes) is { } problem
            ? throw new AdminException(AdminRefusal.Invalid, problem.Message, "invalid_body", [problem])
            : scopes;
}
