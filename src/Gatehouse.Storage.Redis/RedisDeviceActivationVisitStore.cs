using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="IDeviceActivationVisitStore"/> in Redis: a hash {a: attempts, p: the pre-filled user code (sealed with the
/// master key: a user code is a short secret), m: the matched device code's hash} under the SHA-256 of the visit's id
/// (the id is the page's <c>state</c>). Counting an attempt is one Lua script, so the cap holds exactly however the
/// submits of one visit are spread over nodes; closing is a DEL, so exactly one submit decides.
/// </summary>
public sealed class RedisDeviceActivationVisitStore(RedisConnection redis, ISecretProtector protector, TimeProvider time) : IDeviceActivationVisitStore
{
    private const string Area = "dav";
    private const string Purpose = "redis-device-activation";

    // KEYS[1] visit; ARGV[1] lifetime ms, ARGV[2] sealed pre-filled code or ''.
    private const string Save = """
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'a', 0)
        if ARGV[2] ~= '' then redis.call('HSET', KEYS[1], 'p', ARGV[2]) end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    // KEYS[1] visit; ARGV[1] the cap, ARGV[2] lifetime ms. 1 counted, 0 at the cap or gone.
    private const string CountAttempt = """
        local a = redis.call('HGET', KEYS[1], 'a')
        if not a or tonumber(a) >= tonumber(ARGV[1]) then return 0 end
        redis.call('HINCRBY', KEYS[1], 'a', 1)
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // KEYS[1] visit; ARGV[1] device code hash, ARGV[2] lifetime ms.
    private const string Match = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'm', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    public async Task SaveAsync(DeviceActivationVisit visit, DateTimeOffset expiresAt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(visit);
        if (RedisJson.Lifetime(expiresAt, time) is not { } lifetime)
            return;
        var prefilled = visit.Prefilled is { } code ? protector.Protect(code, Purpose) : "";
        await redis.RunAsync("save activation visit", db => db.ScriptEvaluateAsync(Save, [Key(visit.Id)], [lifetime, prefilled]));
    }

    public async Task<DeviceActivationVisit?> FindAsync(string id, CancellationToken ct)
    {
        var fields = await redis.RunAsync("find activation visit", db => db.HashGetAsync(Key(id), ["a", "p", "m"]));
        if (fields[0].IsNull)
            return null;
        return new DeviceActivationVisit(id, fields[1].IsNull ? null : protector.Unprotect(fields[1].ToString(), Purpose),
            (int)fields[0], fields[2].IsNull ? null : fields[2].ToString());
    }

    public async Task<bool> TryCountAttemptAsync(string id, int max, DateTimeOffset expiresAt, CancellationToken ct) =>
        (long)await redis.RunAsync("count activation attempt", db => db.ScriptEvaluateAsync(CountAttempt, [Key(id)], [max, Lifetime(expiresAt)])) == 1;

    public async Task MatchAsync(string id, string deviceCodeHash, DateTimeOffset expiresAt, CancellationToken ct) =>
        await redis.RunAsync("match activation visit", db => db.ScriptEvaluateAsync(Match, [Key(id)], [deviceCodeHash, Lifetime(expiresAt)]));

    public Task<bool> CloseAsync(string id, CancellationToken ct) => redis.RunAsync("close activation visit", db => db.KeyDeleteAsync(Key(id)));

    private long Lifetime(DateTimeOffset expiresAt) => RedisJson.Lifetime(expiresAt, time) ?? 1;

    private RedisKey Key(string id) => redis.Key(Area, Secrets.HashToken(id));
}
