using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

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
        ClaimSettings.PropertyName, // Gatehouse's own (docs/management-api.md, "Claims and access rules")
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

        api.MapGet("/resource-servers/{id}", async (string id, HttpContext context, ResourceServerAdmin admin) =>
            Results.Json(FieldSelection.Apply(ToJson(await admin.FindAsync(RouteIds.Decode(id), context.RequestAborted)), context.Request)))
            .WithSummary("Get a resource server");

        api.MapPost("/resource-servers", async (HttpContext context, ResourceServerAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly([.. CoreFields, .. ExtraFields]);
            var draft = SettingsOf(body, new ResourceServerDraft(body.String("identifier", required: true, minLength: 1, maxLength: 600)!), null);
            return Results.Json(ToJson(await admin.CreateAsync(context.AdminActor(), draft, context.RequestAborted)), statusCode: 201);
        }).WithSummary("Create a resource server");

        api.MapPatch("/resource-servers/{id}", async (string id, HttpContext context, ResourceServerAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly([.. CoreFields.Where(f => f != "identifier"), .. ExtraFields]);
            var current = await admin.FindAsync(RouteIds.Decode(id), context.RequestAborted);
            ResourceServerAdmin.EnsureChangeable(current);
            var changes = SettingsOf(body, new ResourceServerChanges(), current.Extra);
            return Results.Json(ToJson(await admin.UpdateAsync(context.AdminActor(), current, changes, context.RequestAborted)));
        }).WithSummary("Update a resource server");

        api.MapDelete("/resource-servers/{id}", async (string id, HttpContext context, ResourceServerAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), RouteIds.Decode(id), context.RequestAborted);
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

    /// <summary>The settings a create and a change share, read by the same rules; the record's type (draft or change) is kept.</summary>
    private static T SettingsOf<T>(JsonBody body, T target, JsonElement? storedExtra) where T : ResourceServerSettings =>
        (T)(((ResourceServerSettings)target) with
        {
            SigningAlg = body.String("signing_alg"),
            Name = body.String("name", minLength: 1, maxLength: 200),
            Scopes = ScopesOf(body),
            TokenLifetime = body.Int("token_lifetime", 1, 2592000),
            TokenLifetimeForWeb = body.Int("token_lifetime_for_web", 1, 2592000),
            AllowOfflineAccess = body.Bool("allow_offline_access"),
            SkipConsentForVerifiableFirstPartyClients = body.Bool("skip_consent_for_verifiable_first_party_clients"),
            Extra = ValidExtra(body, storedExtra),
        });

    /// <summary>The scopes' JSON shape; their values are the admin layer's rules (<see cref="ResourceServerAdmin.ScopesProblem"/>).</summary>
    private static List<ResourceServerScope>? ScopesOf(JsonBody body)
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
            if (!item.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.String)
                throw ManagementException.BadBody($"Payload validation error: 'value must be a non-empty string of at most 280 characters without spaces' on property {at}.value.");
            string? description = null;
            if (item.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null)
                description = d.ValueKind == JsonValueKind.String ? d.GetString() : throw JsonBody.WrongType($"{at}.description", "string", d);
            result.Add(new ResourceServerScope(value.GetString()!, description));
        }
        return result;
    }

    private static JsonElement? ValidExtra(JsonBody body, JsonElement? stored)
    {
        body.Bool("enforce_policies");
        if (body.String("token_dialect") is { } dialect && dialect is not ("access_token" or "access_token_authz" or "rfc9068_profile" or "rfc9068_profile_authz"))
            throw ManagementException.BadBody($"Payload validation error: 'No enum match for: \"{dialect}\"' on property token_dialect.");
        ExtensionSettings.Check(ClaimSettingsReader.Read(body.Raw(ClaimSettings.PropertyName), forResourceServer: true).Problems);
        return JsonNodes.With(stored, body.Root, ExtraFields);
    }
}
