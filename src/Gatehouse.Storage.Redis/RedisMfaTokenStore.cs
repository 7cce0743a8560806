using System.Text.Json;
using Gatehouse.Core.Authorization;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="IMfaTokenStore"/> in Redis: under the token's hash (the token is never stored), expiring when the
/// in-memory store forgets it, taken with GETDEL so an mfa_token or a continuation handle is spent once across nodes.
/// </summary>
public sealed class RedisMfaTokenStore(RedisConnection redis, TimeProvider time) : IMfaTokenStore
{
    public async Task SaveAsync(MfaTokenKind kind, string tokenHash, MfaBinding binding, DateTimeOffset keepUntil, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (RedisJson.Lifetime(keepUntil, time) is not { } lifetime)
            return;
        var json = JsonSerializer.Serialize(binding, RedisJson.Options);
        await redis.RunAsync("save mfa token", db => db.StringSetAsync(Key(kind, tokenHash), json, TimeSpan.FromMilliseconds(lifetime)));
    }

    public async Task<MfaBinding?> TakeAsync(MfaTokenKind kind, string tokenHash, CancellationToken ct)
    {
        var json = await redis.RunAsync("take mfa token", db => db.StringGetDeleteAsync(Key(kind, tokenHash)));
        return json.IsNull ? null : JsonSerializer.Deserialize<MfaBinding>(json.ToString(), RedisJson.Options);
    }

    private StackExchange.Redis.RedisKey Key(MfaTokenKind kind, string tokenHash) =>
        redis.Key(kind == MfaTokenKind.Token ? "mfa" : "mfab", tokenHash);
}
