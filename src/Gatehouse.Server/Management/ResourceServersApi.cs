using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/resource-servers (APIs). The Management API itself is a system resource server: read-only here.</summary>
internal static class ResourceServersApi
{
    private static readonly string[] CoreFields =
    [
        "name", "identifier", "scopes", "signing_alg", "token_lifetime", "token_lifetime_for_web", "allow_offline_access",
        "skip_consent_for_verifiable_first_party_clients",
    ];

    private static readonly string[] ExtraFields =
    [
        "enforce_policies", "token_dialect", "consent_policy", "authorization_details", "token_encryption", "proof_of_possession",
        "subject_type_authorization",
    ];

    public static void MapResourceServers(this RouteGroupBuilder api)
    {
        api.MapGet("/resource-servers", async (HttpContext context, IGatehouseStore store) =>
        {
            var request = context.Request;
            var paging = Paging.From(request);
            var identifiers = request.Query["identifiers"].Where(i => !string.IsNullOrEmpty(i)).ToHashSet(StringComparer.Ordinal);
            var all = (await store.ListResourceServersAsync(PageRequest.All, context.RequestAborted)).Items
                .Where(r => identifiers.Count == 0 || identifiers.Contains(r.Identifier)).ToList();
            var checkpoint = Checkpoint.Requested(request) ? Checkpoint.From(request) : null;
            var window = checkpoint?.Request ?? paging.Request;
            var items = FieldSelection.Apply(all.Skip(window.Offset).Take(window.PerPage).Select(ToJson), request);
            return checkpoint is not null ? checkpoint.Result("resource_servers", items, all.Count) : paging.Result("resource_servers", items, all.Count);
        }).WithSummary("Get resource servers");

        api.MapGet("/resource-servers/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
            Results.Json(FieldSelection.Apply(ToJson(await Find(store, id, context.RequestAborted)), context.Request)))
            .WithSummary("Get a resource server");

        api.MapPost("/resource-servers", async (HttpContext context, IGatehouseStore store) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly([.. CoreFields, .. ExtraFields]);
            var identifier = body.String("identifier", required: true, minLength: 1, maxLength: 600)!;
            ValidAlg(body);
            var resourceServer = new ResourceServer(
                Id: Secrets.RandomHex(12),
                Identifier: identifier,
                Name: body.String("name", minLength: 1, maxLength: 200) ?? identifier,
                Scopes: ValidScopes(body) ?? [],
                SigningAlg: "RS256",
                TokenLifetime: body.Int("token_lifetime", 1, 2592000) ?? 86400,
                TokenLifetimeForWeb: body.Int("token_lifetime_for_web", 1, 2592000) ?? 7200,
                AllowOfflineAccess: body.Bool("allow_offline_access") ?? false,
                SkipConsentForVerifiableFirstPartyClients: body.Bool("skip_consent_for_verifiable_first_party_clients") ?? true,
                IsSystem: false,
                Extra: ValidExtra(body, null),
                Version: 0);
            try
            {
                return Results.Json(ToJson(await store.CreateResourceServerAsync(resourceServer, context.RequestAborted)), statusCode: 201);
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                throw ManagementException.Conflict("A resource server with the same identifier already exists");
            }
        }).WithSummary("Create a resource server");

        api.MapPatch("/resource-servers/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly([.. CoreFields.Where(f => f != "identifier"), .. ExtraFields]);
            var current = await Find(store, id, context.RequestAborted);
            if (current.IsSystem)
                throw ManagementException.Forbidden("The Management API is a system resource server and cannot be changed.");
            ValidAlg(body);
            var updated = current with
            {
                Name = body.String("name", minLength: 1, maxLength: 200) ?? current.Name,
                Scopes = ValidScopes(body) ?? current.Scopes,
                TokenLifetime = body.Int("token_lifetime", 1, 2592000) ?? current.TokenLifetime,
                TokenLifetimeForWeb = body.Int("token_lifetime_for_web", 1, 2592000) ?? current.TokenLifetimeForWeb,
                AllowOfflineAccess = body.Bool("allow_offline_access") ?? current.AllowOfflineAccess,
                SkipConsentForVerifiableFirstPartyClients = body.Bool("skip_consent_for_verifiable_first_party_clients") ?? current.SkipConsentForVerifiableFirstPartyClients,
                Extra = ValidExtra(body, current.Extra),
            };
            return Results.Json(ToJson(await store.UpdateResourceServerAsync(updated, context.RequestAborted)));
        }).WithSummary("Update a resource server");

        api.MapDelete("/resource-servers/{id}", async (string id, HttpContext context, IGatehouseStore store) =>
        {
            var ct = context.RequestAborted;
            var current = await Find(store, id, ct);
            if (current.IsSystem)
                throw ManagementException.Forbidden("The Management API is a system resource server and cannot be deleted.");
            await store.DeleteResourceServerAsync(current.Id, ct);
            foreach (var grant in (await store.ListClientGrantsAsync(new ClientGrantQuery(null, current.Identifier, PageRequest.All), ct)).Items)
                await store.DeleteClientGrantAsync(grant.Id, ct);
            return Results.NoContent();
        }).WithSummary("Delete a resource server");
    }

    public static JsonObject ToJson(ResourceServer resourceServer)
    {
        var json = new JsonObject
        {
            ["id"] = resourceServer.Id,
            ["name"] = resourceServer.Name,
            ["identifier"] = resourceServer.Identifier,
            ["is_system"] = resourceServer.IsSystem,
            ["scopes"] = new JsonArray([.. resourceServer.Scopes.Select(s => (JsonNode)new JsonObject { ["value"] = s.Value, ["description"] = s.Description })]),
            ["signing_alg"] = resourceServer.SigningAlg,
            ["allow_offline_access"] = resourceServer.AllowOfflineAccess,
            ["skip_consent_for_verifiable_first_party_clients"] = resourceServer.SkipConsentForVerifiableFirstPartyClients,
            ["token_lifetime"] = resourceServer.TokenLifetime,
            ["token_lifetime_for_web"] = resourceServer.TokenLifetimeForWeb,
        };
        JsonNodes.Merge(json, resourceServer.Extra);
        json.Remove(Hosting.Bootstrapper.ClientIdKey); // server-side bookkeeping of the system API, not an Auth0 setting
        return json;
    }

    /// <summary>By id, or by identifier (Auth0 accepts either in the path).</summary>
    private static async Task<ResourceServer> Find(IGatehouseStore store, string id, CancellationToken ct)
    {
        id = RouteIds.Decode(id);
        return (id.Length > 600 ? null : await store.GetResourceServerAsync(id, ct) ?? await store.GetResourceServerByIdentifierAsync(id, ct))
            ?? throw ManagementException.NotFound("The resource server does not exist", "inexistent_resource_server");
    }

    private static void ValidAlg(JsonBody body)
    {
        if (body.String("signing_alg") is { } alg && alg != "RS256")
            throw ManagementException.BadBody("Payload validation error: 'Only RS256 is supported' on property signing_alg.");
    }

    private static List<ResourceServerScope>? ValidScopes(JsonBody body)
    {
        if (body.Raw("scopes") is not { } scopes || scopes.ValueKind == JsonValueKind.Null)
            return null;
        if (scopes.ValueKind != JsonValueKind.Array)
            throw JsonBody.WrongType("scopes", "array", scopes);
        var result = new List<ResourceServerScope>();
        foreach (var item in scopes.EnumerateArray())
        {
            var at = $"scopes[{result.Count}]";
            if (item.ValueKind != JsonValueKind.Object)
                throw JsonBody.WrongType(at, "object", item);
            if (item.EnumerateObject().Select(p => p.Name).FirstOrDefault(n => n is not ("value" or "description")) is { } extra)
                throw ManagementException.BadBody($"Payload validation error: 'Additional properties not allowed: {extra}' on property {at}.");
            if (!item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String || value.GetString()!.Length is 0 or > 280 || value.GetString()!.Contains(' ', StringComparison.Ordinal))
                throw ManagementException.BadBody($"Payload validation error: 'value must be a non-empty string of at most 280 characters without spaces' on property {at}.value.");
            string? description = null;
            if (item.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
                description = d.ValueKind == JsonValueKind.String ? d.GetString() : throw JsonBody.WrongType($"{at}.description", "string", d);
            if (result.Any(s => s.Value == value.GetString()))
                throw ManagementException.BadBody($"Payload validation error: 'Duplicate scope {value.GetString()}' on property scopes.");
            result.Add(new ResourceServerScope(value.GetString()!, description));
        }
        return result;
    }

    private static JsonElement? ValidExtra(JsonBody body, JsonElement? stored)
    {
        body.Bool("enforce_policies");
        if (body.String("token_dialect") is { } dialect && dialect is not ("access_token" or "access_token_authz" or "rfc9068_profile" or "rfc9068_profile_authz"))
            throw ManagementException.BadBody($"Payload validation error: 'No enum match for: \"{dialect}\"' on property token_dialect.");
        return JsonNodes.With(stored, body.Root, ExtraFields);
    }
}
