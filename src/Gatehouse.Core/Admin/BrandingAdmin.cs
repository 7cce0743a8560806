using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Auth0's branding document (<c>/api/v2/branding</c>: <c>colors.primary</c>, <c>logo_url</c>, ...), which the hosted login
/// page shows. Kept in the tenant settings under <see cref="ExtraKey"/>, apart from the settings Auth0 returns at
/// /tenants/settings; every change is one audit event naming the actor.
/// </summary>
public sealed class BrandingAdmin(IGatehouseStore store, TenantSettingsAdmin settings, AdminAudit audit)
{
    public const string ExtraKey = "branding";

    /// <summary>The stored branding, or an empty object.</summary>
    public async Task<JsonElement> GetAsync(CancellationToken ct) => Of(await settings.GetAsync(ct));

    public static JsonElement Of(TenantSettings tenant)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        return tenant.Extra is { ValueKind: JsonValueKind.Object } extra && extra.TryGetProperty(ExtraKey, out var branding)
            && branding.ValueKind == JsonValueKind.Object ? branding : JsonSerializer.SerializeToElement(new JsonObject());
    }

    /// <summary>Stores <paramref name="branding"/> (already checked by the caller) as the whole document.</summary>
    public async Task<JsonElement> UpdateAsync(AdminActor actor, JsonElement branding, CancellationToken ct)
    {
        var tenant = await settings.GetAsync(ct);
        var extra = tenant.Extra is { ValueKind: JsonValueKind.Object } e ? (JsonObject)JsonNode.Parse(e.GetRawText())! : [];
        extra[ExtraKey] = JsonNode.Parse(branding.GetRawText());
        var saved = await store.SaveTenantSettingsAsync(tenant with { Extra = JsonSerializer.SerializeToElement(extra) }, ct);
        await audit.RecordAsync(actor, new AdminChange("Update branding", "patch", "/api/v2/branding"), ct);
        return Of(saved);
    }
}
