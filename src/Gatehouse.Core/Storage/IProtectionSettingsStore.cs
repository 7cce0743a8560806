namespace Gatehouse.Core.Storage;

/// <summary>Attack-protection settings, one record per kind (rules: <see cref="IGatehouseStore"/>).</summary>
public interface IProtectionSettingsStore
{
    /// <summary>The attack-protection settings of one kind, or null while they are Auth0's defaults.</summary>
    Task<ProtectionSettings?> GetProtectionSettingsAsync(string kind, CancellationToken ct);

    /// <summary>Creates the kind's settings when Version is 0 (Conflict when they exist); otherwise an optimistic update.</summary>
    Task<ProtectionSettings> SaveProtectionSettingsAsync(ProtectionSettings settings, CancellationToken ct);
}
