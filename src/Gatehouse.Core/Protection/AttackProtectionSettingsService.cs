using System.Collections.Concurrent;
using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// Reads and saves the attack-protection settings. Logins read through a short per-node cache
/// (<see cref="ProtectionOptions.SettingsCacheDuration"/>): a PATCH on this node applies at once, one on another node
/// within that time. Unset kinds are Auth0's defaults.
/// </summary>
public sealed class AttackProtectionSettingsService(IProtectionSettingsStore store, TimeProvider time, ProtectionOptions options)
{
    private readonly ConcurrentDictionary<string, (object Settings, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public Task<BruteForceProtectionSettings> BruteForceAsync(CancellationToken ct) => CachedAsync<BruteForceProtectionSettings>(AttackProtectionKinds.BruteForce, ct);

    public Task<SuspiciousIpThrottlingSettings> SuspiciousIpAsync(CancellationToken ct) => CachedAsync<SuspiciousIpThrottlingSettings>(AttackProtectionKinds.SuspiciousIp, ct);

    /// <summary>The settings as stored now (no cache) and the version a save must name.</summary>
    public async Task<(T Settings, long Version)> ReadAsync<T>(string kind, CancellationToken ct) where T : notnull, new()
    {
        var stored = await store.GetProtectionSettingsAsync(kind, ct);
        return stored is null ? (new T(), 0) : (Parse<T>(stored.Value), stored.Version);
    }

    /// <summary>Saves over <paramref name="version"/> (StoreError.Conflict when someone saved meanwhile) and refreshes this node's cache.</summary>
    public async Task<T> SaveAsync<T>(string kind, T settings, long version, CancellationToken ct) where T : notnull
    {
        await store.SaveProtectionSettingsAsync(new ProtectionSettings(kind, JsonSerializer.SerializeToElement(settings), version), ct);
        _cache[kind] = (settings, time.GetUtcNow() + options.SettingsCacheDuration);
        return settings;
    }

    private async Task<T> CachedAsync<T>(string kind, CancellationToken ct) where T : notnull, new()
    {
        if (_cache.TryGetValue(kind, out var hit) && hit.Until > time.GetUtcNow())
            return (T)hit.Settings;
        var (settings, _) = await ReadAsync<T>(kind, ct);
        _cache[kind] = (settings, time.GetUtcNow() + options.SettingsCacheDuration);
        return settings;
    }

    private static T Parse<T>(JsonElement value) where T : notnull, new() => value.Deserialize<T>() ?? new T();
}
