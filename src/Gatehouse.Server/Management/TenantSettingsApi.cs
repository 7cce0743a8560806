using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;
using Gatehouse.Server.Shared;

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
        "authorization_response_iss_parameter_supported", AccountLinks.AutoLinkSetting,
    ];

    public static void MapTenantSettings(this RouteGroupBuilder api)
    {
        api.MapGet("/tenants/settings", async (HttpContext context, TenantSettingsAdmin admin) =>
            Results.Json(FieldSelection.Apply(ToJson(await admin.GetAsync(context.RequestAborted)), context.Request)))
            .WithSummary("Get tenant settings");

        api.MapPatch("/tenants/settings", async (HttpContext context, TenantSettingsAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(["friendly_name", "default_directory", "default_audience", .. ExtraFields]);
            body.Bool(AccountLinks.AutoLinkSetting); // Gatehouse's own: a boolean or nothing
            var stored = await admin.GetAsync(context.RequestAborted);
            var changes = new TenantSettingsChanges
            {
                DefaultDirectory = body.String("default_directory", maxLength: 128),
                FriendlyName = body.String("friendly_name", maxLength: 255),
                DefaultAudience = body.String("default_audience", maxLength: 600),
                Extra = JsonNodes.With(stored.Extra, body.Root, ExtraFields),
            };
            return Results.Json(ToJson(await admin.UpdateAsync(context.AdminActor(), changes, context.RequestAborted)));
        }).WithSummary("Update tenant settings");
    }

    private static JsonObject ToJson(TenantSettings settings)
    {
        var json = JsonNodes.Merge(new JsonObject
        {
            ["friendly_name"] = settings.FriendlyName,
            ["default_directory"] = settings.DefaultDirectory,
            ["default_audience"] = settings.DefaultAudience,
        }, settings.Extra);
        json.Remove(BrandingAdmin.ExtraKey); // /api/v2/branding's document, not a tenant setting
        return json;
    }
}
