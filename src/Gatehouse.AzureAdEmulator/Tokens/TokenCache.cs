using System.Collections.Concurrent;

namespace Gatehouse.AzureAd.Emulator.Tokens;

/// <summary>
/// Reuses signed tokens per (user, client, resource, version, ...) until 10 minutes before expiry, so the
/// emulator signs rarely. A directory change or key rotation changes the key and so empties the cache.
/// </summary>
internal sealed class TokenCache(TimeProvider time)
{
    private const int RenewBeforeExpirySeconds = 600;
    private readonly ConcurrentDictionary<Key, IssuedTokens> _entries = new();
    private long _generation;

    public IssuedTokens GetOrIssue(Key key, Func<IssuedTokens> issue)
    {
        if (Interlocked.Exchange(ref _generation, key.Generation) != key.Generation) _entries.Clear();
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (_entries.TryGetValue(key, out var cached) && now >= cached.IssuedAt && now < cached.ExpiresAt - RenewBeforeExpirySeconds)
            return cached;
        var fresh = issue();
        _entries[key] = fresh;
        return fresh;
    }

    internal readonly record struct Key(
        long Generation, string Kid, string BaseUrl, string EndpointVersion, string ClientId, string UserId,
        string Audience, string Scopes, bool IdToken, bool Email, bool ClientAuthenticated);
}
