using System.Text.Json;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="IDeviceAuthorizationStore"/> in Redis, shared by every node. An authorization is a hash {v: version, d: value}
/// under the device code's SHA-256, expiring <see cref="DeviceOptions.ReplayMemorySeconds"/> past the code's end; the value
/// is sealed with the master key (a brokered one holds the provider's device code). An update is optimistic: read, run
/// the caller's pure update, and write only if the version is still the one read (a Lua compare-and-set), else read
/// again, at most <see cref="MaxAttempts"/> times. The user-code index is a key per user code (its SHA-256: a user code
/// is a short secret) naming the hash, set NX so two live authorizations never share a code, expiring with the code.
/// Unlike the in-memory store there is no count bound: the <c>/oauth/device/code</c> rate limit and the expiry bound it.
/// </summary>
public sealed class RedisDeviceAuthorizationStore(RedisConnection redis, ISecretProtector protector, DeviceOptions options, TimeProvider time)
    : IDeviceAuthorizationStore
{
    private const string Area = "dev";
    private const string UserCodeArea = "devuc";
    private const string Purpose = "redis-device-authorization";

    /// <summary>Writers that may race on one authorization are its app's polls and one browser: 16 rounds is far beyond that.</summary>
    public const int MaxAttempts = 16;

    // KEYS[1] authorization, KEYS[2] user code; ARGV[1] sealed value, ARGV[2] lifetime ms, ARGV[3] user code lifetime ms
    // (0: not indexed), ARGV[4] the device code hash.
    private const string Add = """
        if ARGV[3] ~= '0' and not redis.call('SET', KEYS[2], ARGV[4], 'NX', 'PX', ARGV[3]) then return 0 end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'v', 1, 'd', ARGV[1])
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    // KEYS[1] authorization; ARGV[1] the version read, ARGV[2] sealed value, ARGV[3] lifetime ms. 1 written, 0 lost the race.
    private const string CompareAndSet = """
        if redis.call('HGET', KEYS[1], 'v') ~= ARGV[1] then return 0 end
        redis.call('HSET', KEYS[1], 'v', tonumber(ARGV[1]) + 1, 'd', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        return 1
        """;

    public async Task<bool> TryAddAsync(DeviceAuthorization authorization, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(authorization);
        var indexed = authorization.Upstream is null ? RedisJson.Lifetime(authorization.ExpiresAt, time) ?? 0 : 0;
        var added = await redis.RunAsync("add device authorization", db => db.ScriptEvaluateAsync(Add,
            [Key(authorization.DeviceCodeHash), UserCodeKey(authorization.UserCode)],
            [Seal(authorization), Remembered(authorization), indexed, authorization.DeviceCodeHash]));
        return (long)added == 1;
    }

    public async Task<DeviceAuthorization?> FindAsync(string deviceCodeHash, CancellationToken ct) => (await ReadAsync(deviceCodeHash))?.Value;

    public async Task<DeviceAuthorization?> FindByUserCodeAsync(string userCode, CancellationToken ct)
    {
        var hash = await redis.RunAsync("find user code", db => db.StringGetAsync(UserCodeKey(userCode)));
        return !hash.IsNull && await FindAsync(hash.ToString(), ct) is { } found && found.ExpiresAt > time.GetUtcNow() ? found : null;
    }

    public async Task<DeviceAuthorizationChange?> UpdateAsync(string deviceCodeHash, Func<DeviceAuthorization, DeviceAuthorization> update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            if (await ReadAsync(deviceCodeHash) is not var (version, before))
                return null;
            var after = update(before);
            if (after == before)
                return new DeviceAuthorizationChange(before, after);
            var written = await redis.RunAsync("update device authorization", db => db.ScriptEvaluateAsync(CompareAndSet,
                [Key(deviceCodeHash)], [version, Seal(after), Remembered(after)]));
            if ((long)written == 1)
                return new DeviceAuthorizationChange(before, after);
        }
        // Only a flood of writers on one device code gets here: the request answers 503 and the app polls again.
        throw new SharedStateUnavailableException($"A device authorization changed under {MaxAttempts} updates in a row.");
    }

    public Task ForgetUserCodeAsync(string userCode, CancellationToken ct) =>
        redis.RunAsync("forget user code", db => db.KeyDeleteAsync(UserCodeKey(userCode)));

    private async Task<(string Version, DeviceAuthorization Value)?> ReadAsync(string deviceCodeHash)
    {
        var fields = await redis.RunAsync("find device authorization", db => db.HashGetAsync(Key(deviceCodeHash), ["v", "d"]));
        if (fields[0].IsNull || fields[1].IsNull)
            return null;
        var value = JsonSerializer.Deserialize<DeviceAuthorization>(protector.Unprotect(fields[1].ToString(), Purpose), RedisJson.Options)!;
        return (fields[0].ToString(), value);
    }

    private string Seal(DeviceAuthorization authorization) =>
        protector.Protect(JsonSerializer.Serialize(authorization, RedisJson.Options), Purpose);

    /// <summary>At least a millisecond: an update of an authorization past its memory keeps it that long, as a write must expire.</summary>
    private long Remembered(DeviceAuthorization authorization) =>
        RedisJson.Lifetime(authorization.ExpiresAt.AddSeconds(options.ReplayMemorySeconds), time) ?? 1;

    private RedisKey Key(string deviceCodeHash) => redis.Key(Area, deviceCodeHash);

    private RedisKey UserCodeKey(string userCode) => redis.Key(UserCodeArea, Secrets.HashToken(userCode));
}
