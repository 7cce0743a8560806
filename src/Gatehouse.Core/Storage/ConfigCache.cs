using System.Collections.Concurrent;

namespace Gatehouse.Core.Storage;

/// <summary>How long a node may serve tenant configuration it read earlier (<c>Storage:ConfigCacheSeconds</c>).</summary>
public sealed record ConfigCacheOptions
{
    /// <summary>5 s by default; 0 turns the cache off (every read goes to the store).</summary>
    public double Seconds { get; init; } = 5;

    /// <summary>Entries kept at most; past it the cache starts over (configuration is small, this only bounds abuse).</summary>
    public int MaxEntries { get; init; } = 20_000;
}

/// <summary>
/// The configuration every token request reads (tenant settings, the client, the connection by name, the API by
/// identifier, the client grant), kept per node for <see cref="ConfigCacheOptions.Seconds"/> so a login does not
/// pay a store round trip for each. Staleness bound: a change made through this node's store clears the cache at
/// once (<see cref="IConfigurationStore.ConfigurationChanged"/>), and so does one made on another node sharing the
/// PostgreSQL database (told through LISTEN/NOTIFY before that node answers); when that signal is lost, a change is
/// seen here within that many seconds. Only found records are kept: an unknown client id or name always asks the store, so
/// probing cannot fill memory and a newly created record is never hidden by a cached miss. Only the token
/// endpoints read through it; the Management API reads the store directly, so its read-modify-writes always see
/// the current Version.
/// </summary>
public sealed class ConfigCache
{
    private readonly IConfigurationStore _store;
    private readonly TimeProvider _time;
    private readonly long _ttlTicks;
    private readonly int _maxEntries;
    private readonly ConcurrentDictionary<(char Kind, string Key), Entry> _entries = new();
    private long _generation;

    public ConfigCache(IConfigurationStore store, TimeProvider time, ConfigCacheOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(options);
        _store = store;
        _time = time;
        _ttlTicks = (long)(Math.Max(0, options.Seconds) * time.TimestampFrequency);
        _maxEntries = options.MaxEntries;
        store.ConfigurationChanged += Invalidate;
    }

    /// <summary>Forgets everything (this node changed configuration).</summary>
    public void Invalidate()
    {
        Interlocked.Increment(ref _generation);
        _entries.Clear();
    }

    public Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct) =>
        GetAsync('t', "", _ => _store.GetTenantSettingsAsync(ct));

    public Task<Client?> GetClientAsync(string clientId, CancellationToken ct) =>
        GetAsync('c', clientId, id => _store.GetClientAsync(id, ct));

    public Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct) =>
        GetAsync('n', name, n => _store.GetConnectionByNameAsync(n, ct));

    public Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct) =>
        GetAsync('r', identifier, i => _store.GetResourceServerByIdentifierAsync(i, ct));

    public Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct) =>
        GetAsync('g', clientId + "\n" + audience, _ => _store.FindClientGrantAsync(clientId, audience, ct));

    private Task<T?> GetAsync<T>(char kind, string key, Func<string, Task<T?>> read) where T : class
    {
        if (_ttlTicks == 0)
            return read(key);
        var now = _time.GetTimestamp();
        if (_entries.TryGetValue((kind, key), out var entry) && now - entry.ReadAt < _ttlTicks)
            return Task.FromResult((T?)entry.Value);
        return ReadAndKeepAsync(kind, key, read, now);
    }

    private async Task<T?> ReadAndKeepAsync<T>(char kind, string key, Func<string, Task<T?>> read, long now) where T : class
    {
        // A read that overlaps an invalidation may have seen the old row: it is returned but not kept.
        var generation = Interlocked.Read(ref _generation);
        var value = await read(key);
        if (value is not null && Interlocked.Read(ref _generation) == generation)
        {
            if (_entries.Count >= _maxEntries)
                _entries.Clear();
            _entries[(kind, key)] = new Entry(value, now);
            if (Interlocked.Read(ref _generation) != generation)
                _entries.TryRemove((kind, key), out _);
        }
        return value;
    }

    private sealed record Entry(object Value, long ReadAt);
}
