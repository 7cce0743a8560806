using System.Text.Json;
using Gatehouse.Core.Authorization;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="IAuthorizationCodeStore"/> in Redis, as <see cref="InMemoryAuthorizationCodeStore"/> behaves: keyed by the
/// code's hash (the code itself is never stored), a hash {code, r: redeemed, f: family}. Redemption is one script, so
/// two nodes redeeming the same code concurrently give it to exactly one; the other hears <c>Replayed</c>. A redeemed
/// code is remembered for <see cref="AuthorizationOptions.CodeReplayMemorySeconds"/>.
/// </summary>
public sealed class RedisAuthorizationCodeStore(RedisConnection redis, AuthorizationOptions options, TimeProvider time) : IAuthorizationCodeStore
{
    private const string Area = "code";

    // KEYS[1] code; ARGV[1] replay memory ms. HSETNX decides the one first redemption.
    private const string Redeem = """
        local code = redis.call('HGET', KEYS[1], 'code')
        if not code then return nil end
        local first = redis.call('HSETNX', KEYS[1], 'r', '1')
        if first == 0 or redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return {code, first}
        """;

    // KEYS[1] code; ARGV[1] family, ARGV[2] replay memory ms. Only while the code is remembered.
    private const string RecordFamily = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'f', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // KEYS[1] code; ARGV[1] the code (JSON), ARGV[2] lifetime ms. A rewrite starts over, as the in-memory store's Set.
    private const string Save = """
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'code', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    public async Task SaveAsync(AuthorizationCode code, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(code);
        var lifetime = RedisJson.Lifetime(code.ExpiresAt, time);
        if (lifetime is null)
            return; // already expired: nothing to redeem
        await redis.RunAsync("save code", db => db.ScriptEvaluateAsync(Save,
            [redis.Key(Area, code.CodeHash)], [JsonSerializer.Serialize(code, RedisJson.Options), lifetime.Value]));
    }

    public async Task<CodeRedemption> RedeemAsync(string codeHash, CancellationToken ct)
    {
        var result = await redis.RunAsync("redeem code", db => db.ScriptEvaluateAsync(Redeem, [redis.Key(Area, codeHash)], [MemoryMilliseconds]));
        if (result.IsNull)
            return new CodeRedemption(null, false);
        var parts = (RedisResult[])result!;
        var code = JsonSerializer.Deserialize<AuthorizationCode>((string)parts[0]!, RedisJson.Options);
        return new CodeRedemption(code, Replayed: (long)parts[1] == 0);
    }

    public async Task RecordIssuedFamilyAsync(string codeHash, string refreshTokenFamilyId, CancellationToken ct) =>
        await redis.RunAsync("record family", db => db.ScriptEvaluateAsync(RecordFamily, [redis.Key(Area, codeHash)], [refreshTokenFamilyId, MemoryMilliseconds]));

    public async Task<string?> IssuedFamilyAsync(string codeHash, CancellationToken ct)
    {
        var family = await redis.RunAsync("family", db => db.HashGetAsync(redis.Key(Area, codeHash), "f"));
        return family.IsNull ? null : family.ToString();
    }

    private long MemoryMilliseconds => options.CodeReplayMemorySeconds * 1000L;
}
