using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Access;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/clients.</summary>
internal static class ClientsApi
{
    private static readonly string[] CoreFields = ["name", "app_type", "is_first_party", "token_endpoint_auth_method", "grant_types", "is_token_endpoint_ip_header_trusted"];

    // Stored as given in Client.Extra and returned as is (Auth0's other client settings).
    private static readonly string[] ExtraFields =
    [
        "description", "callbacks", "allowed_origins", "web_origins", "allowed_logout_urls", "client_aliases", "client_metadata",
        "jwt_configuration", "logo_uri", "initiate_login_uri", "oidc_conformant", "sso", "sso_disabled", "cross_origin_auth",
        "cross_origin_authentication", "cross_origin_loc", "custom_login_page_on", "custom_login_page", "custom_login_page_preview",
        "refresh_token", "organization_usage", "organization_require_behavior", "native_social_login", "mobile", "addons",
        "encryption_key", "form_template", "require_pushed_authorization_requests", "compliance_level",
        "require_proof_of_possession", "default_organization", "oidc_logout", "token_quota",
        // Gatehouse's own (docs/management-api.md, "Claims and access rules"): not Auth0 properties, so named gatehouse_*.
        ClaimSettings.PropertyName, AccessRules.PropertyName,
    ];

    public static void MapClients(this RouteGroupBuilder api)
    {
        api.MapGet("/clients", async (HttpContext context, IGatehouseStore store, ClientAdmin admin) =>
        {
            var request = context.Request;
            var paging = Paging.From(request);
            var isGlobal = Paging.QueryBool(request, "is_global");
            var isFirstParty = Paging.QueryBool(request, "is_first_party");
            var appTypes = request.Query["app_type"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var all = (await store.ListClientsAsync(PageRequest.All, context.RequestAborted)).Items
                .Where(c => isGlobal is null || c.IsGlobal == isGlobal)
                .Where(c => isFirstParty is null || c.IsFirstParty == isFirstParty)
                .Where(c => appTypes.Length == 0 || appTypes.Contains(c.AppType))
                .ToList();
            var showSecret = context.CallerHas("read:client_keys");
            var checkpoint = Checkpoint.Requested(request) ? Checkpoint.From(request) : null;
            var window = checkpoint?.Request ?? paging.Request;
            var items = FieldSelection.Apply(all.Skip(window.Offset).Take(window.PerPage).Select(c => ToJson(c, showSecret ? admin.RevealSecret(c) : null)), request);
            await AuditSecretsShownAsync(context, items);
            return checkpoint is not null ? checkpoint.Result("clients", items, all.Count) : paging.Result("clients", items, all.Count);
        }).WithSummary("Get clients");

        api.MapGet("/clients/{id}", async (string id, HttpContext context, ClientAdmin admin) =>
        {
            var client = await admin.FindAsync(id, context.RequestAborted);
            var secret = context.CallerHas("read:client_keys") ? admin.RevealSecret(client) : null;
            var json = FieldSelection.Apply(ToJson(client, secret), context.Request);
            await AuditSecretsShownAsync(context, [json]);
            return Results.Json(json);
        }).WithSummary("Get a client");

        api.MapPost("/clients", async (HttpContext context, ClientAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly([.. CoreFields, .. ExtraFields]);
            var draft = new ClientDraft(body.String("name", required: true)!)
            {
                AppType = body.String("app_type"),
                AuthMethod = body.String("token_endpoint_auth_method"),
                GrantTypes = body.StringArray("grant_types", maxItems: 32),
                IsFirstParty = body.Bool("is_first_party"),
                IsTokenEndpointIpHeaderTrusted = body.Bool("is_token_endpoint_ip_header_trusted"),
                Extra = ValidExtra(body, null),
            };
            var (created, secret) = await admin.CreateAsync(context.AdminActor(), draft, context.RequestAborted);
            return Results.Json(ToJson(created, secret), statusCode: 201);
        }).WithSummary("Create a client");

        api.MapPatch("/clients/{id}", async (string id, HttpContext context, ClientAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly([.. CoreFields, .. ExtraFields, "client_secret"]);
            var client = await admin.FindAsync(id, context.RequestAborted);
            ClientAdmin.EnsureChangeable(client);
            // Re-sending the stored auth method (tools send whole clients) changes no credential.
            context.RequireFieldScopes(body, field => field == "token_endpoint_auth_method"
                && body.Root.GetProperty(field) is { ValueKind: JsonValueKind.String } sent && sent.GetString() == client.TokenEndpointAuthMethod);
            var changes = new ClientChanges
            {
                AuthMethod = body.String("token_endpoint_auth_method"),
                Secret = body.String("client_secret", minLength: 16, maxLength: 512),
                Name = body.Has("name") ? body.String("name", required: true) : null,
                AppType = body.String("app_type"),
                IsFirstParty = body.Bool("is_first_party"),
                GrantTypes = body.StringArray("grant_types", maxItems: 32),
                IsTokenEndpointIpHeaderTrusted = body.Bool("is_token_endpoint_ip_header_trusted"),
                Extra = ValidExtra(body, client.Extra),
            };
            var saved = await admin.UpdateAsync(context.AdminActor(), client, changes, context.RequestAborted);
            var json = ToJson(saved, context.CallerHas("read:client_keys") ? admin.RevealSecret(saved) : null);
            await AuditSecretsShownAsync(context, [json]);
            return Results.Json(json);
        }).WithSummary("Update a client");

        api.MapPost("/clients/{id}/rotate-secret", async (string id, HttpContext context, ClientAdmin admin) =>
        {
            var client = await admin.FindAsync(id, context.RequestAborted);
            var (saved, secret) = await admin.RotateSecretAsync(context.AdminActor(), client, context.RequestAborted);
            return Results.Json(ToJson(saved, secret));
        }).WithSummary("Rotate a client secret");

        api.MapDelete("/clients/{id}", async (string id, HttpContext context, ClientAdmin admin) =>
        {
            await admin.DeleteAsync(context.AdminActor(), id, context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Delete a client");
    }

    public static JsonObject ToJson(Client client, string? secret)
    {
        var json = new JsonObject
        {
            ["client_id"] = client.ClientId,
            ["name"] = client.Name,
            ["app_type"] = client.AppType,
            ["is_first_party"] = client.IsFirstParty,
            ["global"] = client.IsGlobal,
            ["oidc_conformant"] = true,
            ["token_endpoint_auth_method"] = client.TokenEndpointAuthMethod,
            ["grant_types"] = JsonNodes.Array(client.GrantTypes),
            ["is_token_endpoint_ip_header_trusted"] = client.IsTokenEndpointIpHeaderTrusted,
            ["callbacks"] = new JsonArray(),
            ["allowed_origins"] = new JsonArray(),
            ["web_origins"] = new JsonArray(),
            ["allowed_logout_urls"] = new JsonArray(),
            ["client_metadata"] = new JsonObject(),
            ["jwt_configuration"] = new JsonObject { ["alg"] = "RS256", ["lifetime_in_seconds"] = 36000, ["secret_encoded"] = false },
            ["sso_disabled"] = false,
            ["cross_origin_auth"] = false,
            ["custom_login_page_on"] = true,
        };
        JsonNodes.Merge(json, client.Extra);
        if (secret is not null)
            json["client_secret"] = secret;
        return json;
    }

    /// <summary>An answer that shows a stored client_secret (the caller holds read:client_keys) is logged as mgmt_api_read.</summary>
    private static async Task AuditSecretsShownAsync(HttpContext context, IReadOnlyList<JsonNode> shown)
    {
        if (shown.Any(c => c["client_secret"] is JsonValue))
            await ManagementAudit.SecretReadAsync(context, "Read client secrets");
    }

    private static JsonElement? ValidExtra(JsonBody body, JsonElement? stored)
    {
        body.String("description", maxLength: 140);
        foreach (var list in new[] { "callbacks", "allowed_origins", "web_origins", "allowed_logout_urls", "client_aliases" })
            body.StringArray(list);
        foreach (var flag in new[] { "oidc_conformant", "sso", "sso_disabled", "cross_origin_auth", "cross_origin_authentication", "custom_login_page_on" })
            body.Bool(flag);
        if (body.Object("client_metadata") is { } metadata && metadata.EnumerateObject().Any(p => p.Value.ValueKind != JsonValueKind.String || p.Value.GetString()!.Length > 255))
            throw ManagementException.BadBody("Payload validation error: 'client_metadata values must be strings of at most 255 characters' on property client_metadata.");
        if (body.Object("jwt_configuration") is { } jwt)
        {
            if (jwt.TryGetProperty("alg", out var alg) && alg.ValueKind != JsonValueKind.Null && alg.GetRawText() != "\"RS256\"")
                throw ManagementException.BadBody("Payload validation error: 'Only RS256 is supported' on property jwt_configuration.alg.");
            if (jwt.TryGetProperty("lifetime_in_seconds", out var lifetime) && (!lifetime.TryGetInt32(out var seconds) || seconds is < 1 or > 2592000))
                throw ManagementException.BadBody("Payload validation error: 'Expected an integer from 1 to 2592000' on property jwt_configuration.lifetime_in_seconds.");
        }
        ExtensionSettings.Check(ClaimSettingsReader.Read(body.Raw(ClaimSettings.PropertyName), forResourceServer: false).Problems);
        ExtensionSettings.Check(AccessRulesReader.Read(body.Raw(AccessRules.PropertyName)).Problems);
        return JsonNodes.With(stored, body.Root, ExtraFields);
    }
}
