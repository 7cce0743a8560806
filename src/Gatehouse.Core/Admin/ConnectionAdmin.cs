using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>A connection to create; absent values take Auth0's defaults.</summary>
public sealed record ConnectionDraft(string Name, string Strategy)
{
    public JsonElement? Options { get; init; }
    public IReadOnlyList<string>? EnabledClients { get; init; }
    public IReadOnlyList<string>? Realms { get; init; }
    public string? DisplayName { get; init; }
    public bool? IsDomainConnection { get; init; }
    public bool? ShowAsButton { get; init; }
    public JsonElement? Metadata { get; init; }
}

/// <summary>What a change sets; null leaves a value as stored. Options, when given, replace the stored options whole.</summary>
public sealed record ConnectionChanges
{
    public JsonElement? Options { get; init; }
    public IReadOnlyList<string>? EnabledClients { get; init; }
    public IReadOnlyList<string>? Realms { get; init; }
    public bool SetsDisplayName { get; init; }
    public string? DisplayName { get; init; }
    public bool? IsDomainConnection { get; init; }
    public bool? ShowAsButton { get; init; }
    public bool SetsMetadata { get; init; }
    public JsonElement? Metadata { get; init; }
}

/// <summary>
/// Every change to a connection, from any door: the name and realm rules, the strategy's option checks, secret options
/// encrypted before they are stored, the store write, and one audit event naming the actor.
/// </summary>
public sealed class ConnectionAdmin(IGatehouseStore store, ConnectionCache cache, ConnectionOptionSecrets secrets, AdminAudit audit)
{
    public async Task<Connection> FindAsync(string id, CancellationToken ct) =>
        (id.Length <= 128 ? await store.GetConnectionAsync(id, ct) : null)
        ?? throw AdminException.NotFound("The connection does not exist.", "inexistent_connection");

    public async Task<Connection> CreateAsync(AdminActor actor, ConnectionDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (ConnectionRules.NameProblem(draft.Name) is { } nameProblem)
            throw AdminException.Invalid("name", nameProblem);
        var strategy = cache.FindStrategy(draft.Strategy)
            ?? throw AdminException.Invalid("strategy", $"Payload validation error: 'No enum match for: \"{draft.Strategy}\"' on property strategy (supported: {string.Join(", ", cache.Strategies)}).");
        var options = ValidOptions(strategy, draft.Options);
        if (ConnectionRules.RealmsProblem(draft.Strategy, draft.Realms) is { } realmsProblem)
            throw AdminException.Invalid("realms", realmsProblem);
        var connection = new Connection(
            Id: "con_" + Secrets.RandomAlphanumeric(16),
            Name: draft.Name,
            Strategy: draft.Strategy,
            Options: options,
            EnabledClients: draft.EnabledClients ?? [],
            Realms: draft.Realms ?? [draft.Name],
            DisplayName: draft.DisplayName,
            IsDomainConnection: draft.IsDomainConnection ?? false,
            ShowAsButton: draft.ShowAsButton ?? false,
            Metadata: ValidMetadata(draft.Metadata),
            Version: 0);
        Connection created;
        try
        {
            created = await store.CreateConnectionAsync(connection, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw AdminException.Conflict("name", "A connection with the same name already exists", "connection_conflict");
        }
        await audit.RecordAsync(actor, new AdminChange("Create a connection", "post", "/api/v2/connections", 201), ct);
        return created;
    }

    public async Task<Connection> UpdateAsync(AdminActor actor, Connection current, ConnectionChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        if (ConnectionRules.RealmsProblem(current.Strategy, changes.Realms) is { } realmsProblem)
            throw AdminException.Invalid("realms", realmsProblem);
        var strategy = cache.FindStrategy(current.Strategy);
        var options = current.Options;
        if (changes.Options is { } requested && strategy is not null)
        {
            if (ConnectionRules.KeptSecretProblem(strategy, current.Options, requested) is { } keptProblem)
                throw AdminException.Invalid("options", keptProblem);
            options = KeepOmittedSecrets(ValidOptions(strategy, requested), current.Options, strategy);
        }
        var updated = current with
        {
            Options = options,
            EnabledClients = changes.EnabledClients ?? current.EnabledClients,
            Realms = changes.Realms ?? current.Realms,
            DisplayName = changes.SetsDisplayName ? changes.DisplayName : current.DisplayName,
            IsDomainConnection = changes.IsDomainConnection ?? current.IsDomainConnection,
            ShowAsButton = changes.ShowAsButton ?? current.ShowAsButton,
            Metadata = changes.SetsMetadata ? ValidMetadata(changes.Metadata) : current.Metadata,
        };
        var saved = await store.UpdateConnectionAsync(updated, ct);
        await audit.RecordAsync(actor, new AdminChange("Update a connection", "patch", "/api/v2/connections/" + current.Id), ct);
        return saved;
    }

    /// <summary>Deletes the connection and, with it, its users.</summary>
    public async Task DeleteAsync(AdminActor actor, string id, CancellationToken ct)
    {
        var connection = await FindAsync(id, ct);
        await store.DeleteConnectionAsync(connection.Id, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a connection", "delete", "/api/v2/connections/" + connection.Id, 204), ct);
    }

    /// <summary>Enables or disables clients on the connection (a client not named keeps its state; the order of the others is kept).</summary>
    public async Task<Connection> SetEnabledClientsAsync(AdminActor actor, Connection current, IReadOnlyList<(string ClientId, bool Enabled)> changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        var enabled = current.EnabledClients.ToList();
        foreach (var (clientId, status) in changes)
        {
            enabled.Remove(clientId);
            if (status)
                enabled.Add(clientId);
        }
        var saved = await store.UpdateConnectionAsync(current with { EnabledClients = enabled }, ct);
        await audit.RecordAsync(actor, new AdminChange("Update enabled clients for a connection", "patch", $"/api/v2/connections/{current.Id}/clients", 204), ct);
        return saved;
    }

    /// <summary>The stored options with their secrets decrypted, for a form that edits them.</summary>
    public JsonElement RevealedOptions(Connection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return cache.FindStrategy(connection.Strategy) is { } strategy ? secrets.Reveal(strategy, connection.Options) : connection.Options;
    }

    private JsonElement ValidOptions(IConnectionStrategy strategy, JsonElement? requested)
    {
        var options = requested ?? JsonSerializer.SerializeToElement(new Dictionary<string, object>());
        var problems = ConnectionRules.OptionProblems(strategy, options);
        if (problems.Count > 0)
            throw new AdminException(AdminRefusal.Invalid, ConnectionRules.OptionsMessage(problems), "invalid_body", problems);
        return secrets.Protect(strategy, options);
    }

    /// <summary>
    /// Options are replaced whole, except that a secret left out keeps its stored value (tools re-send options they read
    /// without the secret); a secret sent as null is removed.
    /// </summary>
    private static JsonElement KeepOmittedSecrets(JsonElement updated, JsonElement stored, IConnectionStrategy strategy)
    {
        if (strategy.SecretOptions.Count == 0 || updated.ValueKind != JsonValueKind.Object)
            return updated;
        var json = JsonNode.Parse(updated.GetRawText())!.AsObject();
        foreach (var name in strategy.SecretOptions)
        {
            if (!json.ContainsKey(name))
            {
                if (stored.ValueKind == JsonValueKind.Object && stored.TryGetProperty(name, out var kept) && kept.ValueKind == JsonValueKind.String)
                    json[name] = kept.GetString();
            }
            else if (json[name] is null)
            {
                json.Remove(name);
            }
        }
        return JsonSerializer.SerializeToElement(json);
    }

    private static JsonElement? ValidMetadata(JsonElement? metadata)
    {
        if (metadata is not { ValueKind: JsonValueKind.Object } value)
            return null;
        var properties = value.EnumerateObject().ToList();
        if (properties.Count > 10 || properties.Any(p => p.Name.Length > 255 || p.Value.ValueKind != JsonValueKind.String || p.Value.GetString()!.Length > 255))
            throw AdminException.Invalid("metadata", "Payload validation error: 'metadata holds at most 10 string values of at most 255 characters' on property metadata.");
        return value;
    }
}
