using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

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

        api.MapGet("/connections/{id}", async (string id, HttpContext context, ConnectionAdmin admin, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var connection = await admin.FindAsync(id, context.RequestAborted);
            var json = FieldSelection.Apply(ToJson(connection, cache, secrets, context.CallerHas("read:connections_options")), context.Request);
            await AuditSecretsShownAsync(context, cache, [connection], [json]);
            return Results.Json(json);
        }).WithSummary("Get a connection");

        api.MapPost("/connections", async (HttpContext context, ConnectionAdmin admin, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(CreateFields);
            var draft = new ConnectionDraft(body.String("name", required: true)!, body.String("strategy", required: true)!)
            {
                Options = OptionsOf(body),
                Realms = body.StringArray("realms", maxItems: 10, maxLength: 128),
                EnabledClients = body.StringArray("enabled_clients", maxItems: 1000, maxLength: 128),
                DisplayName = body.String("display_name", minLength: 1, maxLength: 128),
                IsDomainConnection = body.Bool("is_domain_connection"),
                ShowAsButton = body.Bool("show_as_button"),
                Metadata = body.Object("metadata"),
            };
            var created = await admin.CreateAsync(context.AdminActor(), draft, context.RequestAborted);
            return Results.Json(ToJson(created, cache, secrets, showOptions: true), statusCode: 201);
        }).WithSummary("Create a connection");

        api.MapPatch("/connections/{id}", async (string id, HttpContext context, ConnectionAdmin admin, ConnectionCache cache, ConnectionOptionSecrets secrets) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(CreateFields.Where(f => f is not ("name" or "strategy")));
            var connection = await admin.FindAsync(id, context.RequestAborted);
            context.RequireFieldScopes(body); // options need update:connections_options
            var changes = new ConnectionChanges
            {
                Realms = body.StringArray("realms", maxItems: 10, maxLength: 128),
                // Sending options replaces the whole options object, as Auth0 does.
                Options = body.Has("options") ? OptionsOf(body) : null,
                EnabledClients = body.StringArray("enabled_clients", maxItems: 1000, maxLength: 128),
                SetsDisplayName = body.Has("display_name"),
                DisplayName = body.String("display_name", minLength: 1, maxLength: 128),
                IsDomainConnection = body.Bool("is_domain_connection"),
                ShowAsButton = body.Bool("show_as_button"),
                SetsMetadata = body.Has("metadata"),
                Metadata = body.Object("metadata"),
            };
            var saved = await admin.UpdateAsync(context.AdminActor(), connection, changes, context.RequestAborted);
            return Results.Json(ToJson(saved, cache, secrets, context.CallerHas("read:connections_options")));
        }).WithSummary("Update a connection");

        api.MapDelete("/connections/{id}", async (string id, HttpContext context, ConnectionAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete a connection");

        api.MapGet("/connections/{id}/clients", async (string id, HttpContext context, ConnectionAdmin admin) =>
        {
            var connection = await admin.FindAsync(id, context.RequestAborted);
            var checkpoint = Checkpoint.From(context.Request, defaultTake: 50, maxTake: 1000);
            var clients = connection.EnabledClients.Skip(checkpoint.Skip).Take(checkpoint.Take)
                .Select(c => (JsonNode)new JsonObject { ["client_id"] = c }).ToList();
            return checkpoint.Result("clients", clients, connection.EnabledClients.Count);
        }).WithSummary("Get enabled clients for a connection");

        api.MapPatch("/connections/{id}/clients", async (string id, HttpContext context, ConnectionAdmin admin) =>
        {
            var connection = await admin.FindAsync(id, context.RequestAborted);
            var changes = await ReadClientChanges(context.Request);
            await admin.SetEnabledClientsAsync(context.AdminActor(), connection, changes, context.RequestAborted);
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

    /// <summary>The options object as sent; null sent for options means none (an empty object).</summary>
    private static JsonElement OptionsOf(JsonBody body) => body.Object("options") ?? JsonSerializer.SerializeToElement(new Dictionary<string, object>());

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
