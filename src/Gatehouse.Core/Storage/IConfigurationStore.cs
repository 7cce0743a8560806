namespace Gatehouse.Core.Storage;

/// <summary>
/// The tenant configuration a token request reads (what <see cref="ConfigCache"/> keeps), and the signal that it
/// changed.
/// </summary>
public interface IConfigurationStore : ITenantSettingsStore, IClientStore, IResourceServerStore, IClientGrantStore, IConnectionStore
{
    /// <summary>
    /// Raised after this store instance wrote tenant configuration (tenant settings, a client, resource server, client
    /// grant or connection), so per-node caches (<see cref="ConfigCache"/>) drop what they hold at once. On PostgreSQL it is
    /// also raised when another node sharing the database wrote it (LISTEN/NOTIFY); elsewhere other nodes' writes are seen
    /// when the cache expires. A backend that keeps the default (never raised) should be used with the cache off
    /// (ConfigCacheOptions.Seconds = 0).
    /// </summary>
    event Action? ConfigurationChanged { add { } remove { } }
}
