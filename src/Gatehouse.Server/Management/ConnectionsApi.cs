using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/connections. Any registered <see cref="IConnectionStrategy"/> can be created; it validates its own options.</summary>
internal static class ConnectionsApi
{
    private static readonly string[] CreateFields =
        ["name", "strategy", "options", "enabled_clients", "realms", "display_name", "is_domain_connection", "show_as_button", "metadata"];

    public static void MapConnections(this RouteGroupBuilder api)
    {
        api.MapGet("/connections", async (HttpContext context, IGatehouseStore store, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var request = context.Request;
            var strategies = request.Query["strategy"].Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToList();
            var name = request.Query["name"].ToString() is { Length: > 0 } n ? n : null;
            var checkpoint = Checkpoint.Requested(request) ? Checkpoint.From(request) : null;
            var paging = Paging.From(request);
            var page = await store.ListConnectionsAsync(
                new ConnectionQuery(strategies.Count > 0 ? strategies : null, name, checkpoint?.Request ?? paging.Request), context.RequestAborted);
            var showOptions = context.CallerHas("read:connections_options");
            var items = FieldSelection.Apply(page.Items.Select(c => ToJson(c, cache, secrets, showOptions)), request);
            await AuditSecretsShownAsync(context, cache, page.Items, items);
            return checkpoint is not null
                ? checkpoint.Result("connections", items, page.Total)
                : paging.Result("connections", items, page.Total);
        }).WithSummary("Get connections");

        api.MapGet("/connections/{id}", async (string id, HttpContext context, IGatehouseStore store, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var connection = await Find(store, id, context.RequestAborted);
            var json = FieldSelection.Apply(ToJson(connection, cache, secrets, context.CallerHas("read:connections_options")), context.Request);
            await AuditSecretsShownAsync(context, cache, [connection], [json]);
            return Results.Json(json);
        }).WithSummary("Get a connection");

        api.MapPost("/connections", async (HttpContext context, IGatehouseStore store, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(CreateFields);
            var name = body.String("name", required: true)!;
            if (ConnectionRules.NameProblem(name) is { } nameProblem)
                throw ManagementException.BadBody(nameProblem);
            var strategyName = body.String("strategy", required: true)!;
            var strategy = cache.FindStrategy(strategyName)
                ?? throw ManagementException.BadBody($"Payload validation error: 'No enum match for: \"{strategyName}\"' on property strategy (supported: {string.Join(", ", cache.Strategies)}).");
            var options = ValidOptions(body, strategy, secrets);
            var realms = body.StringArray("realms", maxItems: 10, maxLength: 128);
            if (ConnectionRules.RealmsProblem(strategyName, realms) is { } realmsProblem)
                throw ManagementException.BadBody(realmsProblem);
            var connection = new Connection(
                Id: "con_" + Secrets.RandomAlphanumeric(16),
                Name: name,
                Strategy: strategyName,
                Options: options,
                EnabledClients: body.StringArray("enabled_clients", maxItems: 1000, maxLength: 128) ?? [],
                Realms: realms ?? [name],
                DisplayName: body.String("display_name", minLength: 1, maxLength: 128),
                IsDomainConnection: body.Bool("is_domain_connection") ?? false,
                ShowAsButton: body.Bool("show_as_button") ?? false,
                Metadata: ValidMetadata(body),
                Version: 0);
            try
            {
                var created = await store.CreateConnectionAsync(connection, context.RequestAborted);
                return Results.Json(ToJson(created, cache, secrets, showOptions: true), statusCode: 201);
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                throw ManagementException.Conflict("A connection with the same name already exists", "connection_conflict");
            }
        }).WithSummary("Create a connection");

        api.MapPatch("/connections/{id}", async (string id, HttpContext context, IGatehouseStore store, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(CreateFields.Where(f => f is not ("name" or "strategy")));
            var connection = await Find(store, id, context.RequestAborted);
            context.RequireFieldScopes(body); // options need update:connections_options
            var realms = body.StringArray("realms", maxItems: 10, maxLength: 128);
            if (ConnectionRules.RealmsProblem(connection.Strategy, realms) is { } realmsProblem)
                throw ManagementException.BadBody(realmsProblem);
            var strategy = cache.FindStrategy(connection.Strategy);
            if (body.Has("options") && strategy is not null && ConnectionRules.KeptSecretProblem(strategy, connection.Options, body.Object("options")) is { } keptProblem)
                throw ManagementException.BadBody(keptProblem);
            var updated = connection with
            {
                // Sending options replaces the whole options object, as Auth0 does.
                Options = body.Has("options") && strategy is not null
                    ? KeepOmittedSecrets(ValidOptions(body, strategy, secrets), connection.Options, strategy)
                    : connection.Options,
                EnabledClients = body.StringArray("enabled_clients", maxItems: 1000, maxLength: 128) ?? connection.EnabledClients,
                Realms = realms ?? connection.Realms,
                DisplayName = body.Has("display_name") ? body.String("display_name", minLength: 1, maxLength: 128) : connection.DisplayName,
                IsDomainConnection = body.Bool("is_domain_connection") ?? connection.IsDomainConnection,
                ShowAsButton = body.Bool("show_as_button") ?? connection.ShowAsButton,
                Metadata = body.Has("metadata") ? ValidMetadata(body) : connection.Metadata,
            };
            return Results.Json(ToJson(await store.UpdateConnectionAsync(updated, context.RequestAborted), cache, secrets, context.CallerHas("read:connections_options")));
        }).WithSummary("Update a connection");

        api.MapDelete("/connections/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            await store.DeleteConnectionAsync((await Find(store, id, context.RequestAborted)).Id, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete a connection");

        api.MapGet("/connections/{id}/clients", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var connection = await Find(store, id, context.RequestAborted);
            var checkpoint = Checkpoint.From(context.Request, defaultTake: 50, maxTake: 1000);
            var clients = connection.EnabledClients.Skip(checkpoint.Skip).Take(checkpoint.Take)
                .Select(c => (JsonNode)new JsonObject { ["client_id"] = c }).ToList();
            return checkpoint.Result("clients", clients, connection.EnabledClients.Count);
        }).WithSummary("Get enabled clients for a connection");

        api.MapPatch("/connections/{id}/clients", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var connection = await Find(store, id, context.RequestAborted);
            var changes = await ReadClientChanges(context.Request);
            var enabled = connection.EnabledClients.ToList();
            foreach (var (clientId, status) in changes)
            {
                enabled.Remove(clientId);
                if (status)
                    enabled.Add(clientId);
            }
            await store.UpdateConnectionAsync(connection with { EnabledClients = enabled }, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Update enabled clients for a connection");
    }

    public static JsonObject ToJson(Connection connection, ConnectionCache cache, ConnectionOptionSecrets secrets, bool showOptions)
    {
        var json = new JsonObject
        {
            ["id"] = connection.Id,
            ["name"] = connection.Name,
            ["strategy"] = connection.Strategy,
            ["realms"] = JsonNodes.Array(connection.Realms),
            ["enabled_clients"] = JsonNodes.Array(connection.EnabledClients),
            ["is_domain_connection"] = connection.IsDomainConnection,
            ["show_as_button"] = connection.ShowAsButton,
        };
        if (connection.DisplayName is not null)
            json["display_name"] = connection.DisplayName;
        if (showOptions)
        {
            var options = cache.FindStrategy(connection.Strategy) is { } strategy ? secrets.Reveal(strategy, connection.Options) : connection.Options;
            json["options"] = JsonNodes.From(options) ?? new JsonObject();
        }
        if (connection.Metadata is not null)
            json["metadata"] = JsonNodes.From(connection.Metadata);
        return json;
    }

    /// <summary>
    /// The secret rule: options (secrets included) are shown only to callers holding read:connections_options, and each
    /// answer that shows a secret is logged as mgmt_api_read.
    /// </summary>
    private static async Task AuditSecretsShownAsync(HttpContext context, ConnectionCache cache, IReadOnlyList<Connection> connections, IReadOnlyList<JsonNode> shown)
    {
        var secretShown = connections.Zip(shown).Any(pair =>
            pair.Second["options"] is JsonObject options && cache.FindStrategy(pair.First.Strategy) is { } strategy
            && strategy.SecretOptions.Any(name => options[name] is JsonValue));
        if (secretShown)
            await ManagementAudit.SecretReadAsync(context, "Read connection secrets");
    }

    /// <summary>
    /// A PATCH replaces options whole, except that a secret it leaves out keeps its stored value (tools re-send options
    /// they read without the secret); a secret sent as null is removed.
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

    private static async Task<Connection> Find(IGatehouseStore store, string id, CancellationToken ct) =>
        (id.Length <= 128 ? await store.GetConnectionAsync(id, ct) : null)
        ?? throw ManagementException.NotFound("The connection does not exist.", "inexistent_connection");

    private static JsonElement ValidOptions(JsonBody body, IConnectionStrategy strategy, ConnectionOptionSecrets secrets)
    {
        var options = body.Object("options") ?? JsonSerializer.SerializeToElement(new Dictionary<string, object>());
        var problems = ConnectionRules.OptionProblems(strategy, options);
        if (problems.Count > 0)
            throw ManagementException.BadBody($"Payload validation error: '{string.Join("; ", problems)}' on property options.");
        return ConnectionRules.Protect(strategy, options, secrets);
    }

    private static JsonElement? ValidMetadata(JsonBody body)
    {
        if (body.Object("metadata") is not { } metadata)
            return null;
        var properties = metadata.EnumerateObject().ToList();
        if (properties.Count > 10 || properties.Any(p => p.Name.Length > 255 || p.Value.ValueKind != JsonValueKind.String || p.Value.GetString()!.Length > 255))
            throw ManagementException.BadBody("Payload validation error: 'metadata holds at most 10 string values of at most 255 characters' on property metadata.");
        return metadata;
    }

    private static async Task<List<(string ClientId, bool Status)>> ReadClientChanges(HttpRequest request)
    {
        // The body is a JSON array [{client_id, status}], not an object.
        var root = await JsonBody.ReadJsonAsync(request);
        if (root.ValueKind != JsonValueKind.Array || root.GetArrayLength() is 0 or > 50)
            throw ManagementException.BadBody("Payload validation error: 'Expected an array of 1 to 50 {client_id, status} items'.");
        var changes = new List<(string, bool)>();
        foreach (var item in root.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object
                || !item.TryGetProperty("client_id", out var clientId) || clientId.ValueKind != JsonValueKind.String
                || !item.TryGetProperty("status", out var status) || status.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                throw ManagementException.BadBody($"Payload validation error: 'Expected {{client_id: string, status: boolean}}' on property [{changes.Count}].");
            changes.Add((clientId.GetString()!, status.GetBoolean()));
        }
        return changes;
    }
}
