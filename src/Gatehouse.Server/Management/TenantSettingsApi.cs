using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Management;

/// <summary>/api/v2/tenants/settings: default_directory, default_audience, friendly_name (+ Auth0's other settings, stored).</summary>
internal static class TenantSettingsApi
{
    private static readonly string[] ExtraFields =
    [
        "picture_url", "support_email", "support_url", "allowed_logout_urls", "session_lifetime", "idle_session_lifetime",
        "sandbox_version", "default_redirection_uri", "enabled_locales", "flags", "change_password", "guardian_mfa_page",
        "error_page", "device_flow", "session_cookie", "default_token_quota", "sessions", "oidc_logout", "customize_mfa_in_postlogin_action",
        "allow_organization_name_in_authentication_api", "acr_values_supported", "mtls", "pushed_authorization_requests_supported",
        "authorization_response_iss_parameter_supported",
    ];

    public static void MapTenantSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/settings", async (HttpContext context, IGatehouseStore store) =>
            Results.Json(FieldSelection.Apply(ToJson(await Load(store, context.RequestAborted)), context.Request)))
            .WithSummary("Get tenant settings");

        api.MapPatch("/tenants/settings", async (HttpContext context, IGatehouseStore store) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["friendly_name", "default_directory", "default_audience", .. ExtraFields]);
            var settings = await Load(store, context.RequestAborted);
            var directory = body.String("default_directory", maxLength: 128);
            if (!string.IsNullOrEmpty(directory) && await store.GetConnectionByNameAsync(directory, context.RequestAborted) is null)
                throw ManagementException.BadBody($"Payload validation error: 'No connection named {directory}' on property default_directory.");
            var updated = settings with
            {
                FriendlyName = body.String("friendly_name", maxLength: 255) ?? settings.FriendlyName,
                DefaultDirectory = directory ?? settings.DefaultDirectory,
                DefaultAudience = body.String("default_audience", maxLength: 600) ?? settings.DefaultAudience,
                Extra = JsonNodes.With(settings.Extra, body.Root, ExtraFields),
            };
            return Results.Json(ToJson(await store.SaveTenantSettingsAsync(updated, context.RequestAborted)));
        }).WithSummary("Update tenant settings");
    }

    private static async Task<TenantSettings> Load(IGatehouseStore store, CancellationToken ct) =>
        await store.GetTenantSettingsAsync(ct) ?? new TenantSettings("", "", "", null, 0);

    private static JsonObject ToJson(TenantSettings settings) => JsonNodes.Merge(new JsonObject
    {
        ["friendly_name"] = settings.FriendlyName,
        ["default_directory"] = settings.DefaultDirectory,
        ["default_audience"] = settings.DefaultAudience,
    }, settings.Extra);
}
