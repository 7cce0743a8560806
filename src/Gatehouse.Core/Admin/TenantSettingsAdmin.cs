using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>What a change sets; null leaves a value as stored.</summary>
public sealed record TenantSettingsChanges
{
    public string? FriendlyName { get; init; }

    /// <summary>The connection the password grant uses without a realm; "" clears it.</summary>
    public string? DefaultDirectory { get; init; }

    public string? DefaultAudience { get; init; }

    /// <summary>Auth0's other settings, already merged with the stored ones.</summary>
    public JsonElement? Extra { get; init; }
}

/// <summary>
/// Every change to the tenant settings, from any door: the default directory must name a connection, the store write,
/// and one audit event naming the actor.
/// </summary>
public sealed class TenantSettingsAdmin(IGatehouseStore store, AdminAudit audit)
{
    /// <summary>The stored settings, or empty ones before the first start saved any.</summary>
    public async Task<TenantSettings> GetAsync(CancellationToken ct) =>
        await store.GetTenantSettingsAsync(ct) ?? new TenantSettings("", "", "", null, 0);

    public async Task<TenantSettings> UpdateAsync(AdminActor actor, TenantSettingsChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var settings = await GetAsync(ct);
        var directory = changes.DefaultDirectory;
        if (!string.IsNullOrEmpty(directory) && await store.GetConnectionByNameAsync(directory, ct) is null)
            throw AdminException.Invalid("default_directory", $"Payload validation error: 'No connection named {directory}' on property default_directory.");
        var updated = settings with
        {
            FriendlyName = changes.FriendlyName ?? settings.FriendlyName,
            DefaultDirectory = directory ?? settings.DefaultDirectory,
            DefaultAudience = changes.DefaultAudience ?? settings.DefaultAudience,
            Extra = changes.Extra ?? settings.Extra,
        };
        var saved = await store.SaveTenantSettingsAsync(updated, ct);
        await audit.RecordAsync(actor, new AdminChange("Update tenant settings", "patch", "/api/v2/tenants/settings"), ct);
        return saved;
    }
}
