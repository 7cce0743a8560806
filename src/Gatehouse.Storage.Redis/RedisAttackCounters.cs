using System.Globalization;
using Gatehouse.Core.Protection;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="IAttackCounters"/> in Redis, shared by every node. Each operation is one command or one Lua script on one
/// key, so concurrent nodes never lose an update (no read-modify-write across round trips), and every key carries its
/// expiry. Time is Redis's own clock (<c>TIME</c> inside the scripts), so nodes with drifting clocks drain a bucket alike.
/// A count is a hash {c: count, l: last increment in ms}; a bucket a hash {v: level, l: last fill in µs}; a set a sorted
/// set scored by when each member was added. Redis must not evict these keys (<c>maxmemory-policy noeviction</c>):
/// unlike <see cref="InMemoryAttackCounters"/> there is no room to make, so no block is ever dropped for room.
/// </summary>
public sealed class RedisAttackCounters(RedisConnection redis) : IAttackCounters
{
    private const string Area = "ap";

    // KEYS[1] count; ARGV[1] expiry ms. The expiry only ever moves later (as InMemoryAttackCounters keeps the later one).
    private const string Increment = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local c = redis.call('HINCRBY', KEYS[1], 'c', 1)
        redis.call('HSET', KEYS[1], 'l', string.format('%.0f', now))
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        return {c, string.format('%.0f', now)}
        """;

    // KEYS[1] bucket; ARGV[1] drain µs per unit; ARGV[2] 1 to fill, 0 to read. Returns the level as text (Lua numbers
    // come back from a script truncated to integers).
    private const string Bucket = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local drain = tonumber(ARGV[1])
        local v = redis.call('HMGET', KEYS[1], 'v', 'l')
        local level = 0
        if v[1] then level = math.max(0, tonumber(v[1]) - (now - tonumber(v[2])) / drain) end
        if ARGV[2] == '1' then
          level = level + 1
          redis.call('HSET', KEYS[1], 'v', string.format('%.17g', level), 'l', string.format('%.0f', now))
          redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil(drain * level / 1000)))
        end
        return string.format('%.17g', level)
        """;

    // KEYS[1] set; ARGV[1] member, ARGV[2] expiry ms, ARGV[3] most members kept (the most recently added). Scores only
    // grow, so two adds in one microsecond keep their order.
    private const string AddMember = """
        local t = redis.call('TIME')
        local score = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local newest = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
        if newest[2] and tonumber(newest[2]) >= score then score = tonumber(newest[2]) + 1 end
        redis.call('ZADD', KEYS[1], string.format('%.0f', score), ARGV[1])
        local n = redis.call('ZCARD', KEYS[1])
        if n > tonumber(ARGV[3]) then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - tonumber(ARGV[3]) - 1) end
        if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
        return n
        """;

    public async ValueTask<AttackCount> IncrementAsync(string key, TimeSpan expiry, long blockAt, CancellationToken ct)
    {
        // blockAt needs nothing here: Redis drops no key for room (noeviction), so a block is always kept.
        var result = (RedisResult[])(await redis.RunAsync("increment", db =>
            db.ScriptEvaluateAsync(Increment, [redis.Key(Area, key)], [Milliseconds(expiry)])))!;
        return new AttackCount((long)result[0], DateTimeOffset.FromUnixTimeMilliseconds(long.Parse((string)result[1]!, CultureInfo.InvariantCulture)));
    }

    public async ValueTask<AttackCount> GetAsync(string key, CancellationToken ct)
    {
        var values = await redis.RunAsync("get", db => db.HashGetAsync(redis.Key(Area, key), ["c", "l"]));
        return values[0].TryParse(out long count) && count > 0 && values[1].TryParse(out long last)
            ? new AttackCount(count, DateTimeOffset.FromUnixTimeMilliseconds(last))
            : AttackCount.None;
    }

    public async ValueTask ResetAsync(string key, CancellationToken ct) =>
        await redis.RunAsync("reset", db => db.KeyDeleteAsync(redis.Key(Area, key)));

    public ValueTask<double> FillBucketAsync(string key, TimeSpan drain, double blockAt, CancellationToken ct) => BucketAsync(key, drain, fill: true);

    public ValueTask<double> GetBucketAsync(string key, TimeSpan drain, CancellationToken ct) => BucketAsync(key, drain, fill: false);

    public async ValueTask AddMemberAsync(string key, string member, TimeSpan expiry, CancellationToken ct) =>
        await redis.RunAsync("add member", db =>
            db.ScriptEvaluateAsync(AddMember, [redis.Key(Area, key)], [member, Milliseconds(expiry), IAttackCounters.MaxMembers]));

    public async ValueTask<IReadOnlyList<string>> GetMembersAsync(string key, CancellationToken ct)
    {
        var members = await redis.RunAsync("members", db => db.SortedSetRangeByRankAsync(redis.Key(Area, key)));
        return members.Select(m => m.ToString()).ToList();
    }

    private async ValueTask<double> BucketAsync(string key, TimeSpan drain, bool fill)
    {
        var microseconds = drain.Ticks / (double)TimeSpan.TicksPerMicrosecond;
        var level = await redis.RunAsync(fill ? "fill bucket" : "bucket", db => db.ScriptEvaluateAsync(Bucket,
            [redis.Key(Area, key)], [microseconds.ToString("R", CultureInfo.InvariantCulture), fill ? "1" : "0"]));
        return double.Parse((string)level!, CultureInfo.InvariantCulture);
    }

    private static long Milliseconds(TimeSpan span) => Math.Max(1, (long)Math.Ceiling(span.TotalMilliseconds));
}
