namespace Gatehouse.Core.Storage;

/// <summary>The tenant's one settings record (rules: <see cref="IGatehouseStore"/>).</summary>
public interface ITenantSettingsStore
{
    Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct);

    /// <summary>Creates the settings when Version is 0 and none exist; otherwise an optimistic update.</summary>
    Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken ct);
}
