using System.Globalization;
using System.Text.Json;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Protection;

namespace Gatehouse.Server.RateLimiting;

/// <summary>The outcome of one take: what the <c>x-ratelimit-*</c> headers say, and whether the request may proceed.</summary>
public sealed record RateLimitDecision(bool Allowed, int Limit, int Remaining, long ResetUnixSeconds, int RetryAfterSeconds)
{
    /// <summary>Auth0's headers on every response of a limited group; <c>Retry-After</c> too when refused.</summary>
    public void WriteHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers["x-ratelimit-limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = ResetUnixSeconds.ToString(CultureInfo.InvariantCulture);
        if (!Allowed)
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// Token buckets per endpoint group and key (an IP, a user, a client). A bucket holds <see cref="BucketPolicy.Limit"/>
/// requests and refills at <see cref="BucketPolicy.PerSecond"/>; a refused request costs nothing. The buckets are the
/// leaky buckets of <see cref="IAttackCounters"/> (the level is the requests taken and not yet refilled), so they live
/// wherever attack protection's counters live (in memory, or a shared store for several nodes). The first refusal of
/// a key in a minute writes an <c>api_limit</c> audit event (more would let a flood fill the log).
/// </summary>
public sealed class RateLimiter(RateLimitOptions options, IAttackCounters counters, TimeProvider time, AuditLog audit)
{
    private static readonly TimeSpan AuditEvery = TimeSpan.FromMinutes(1);

    /// <summary>Null when rate limits are disabled.</summary>
    public async ValueTask<RateLimitDecision?> TakeAsync(string group, string key, string? ip, string? clientId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(key);
        if (!options.Enabled)
            return null;
        var policy = options.Groups[group];
        // One request drains per this interval (at least a tick: a bucket sized never to refuse must not divide by zero).
        var drain = TimeSpan.FromTicks(Math.Max(1, (long)(TimeSpan.TicksPerSecond / policy.PerSecond)));
        var bucketKey = $"rate:{group}:{key}";
        // Read, then add only when it fits: a refused request does not count. Two nodes racing may let one extra through.
        var level = await counters.GetBucketAsync(bucketKey, drain, ct);
        var taken = level + 1 <= policy.Limit;
        if (taken)
            level = await counters.FillBucketAsync(bucketKey, drain, double.PositiveInfinity, ct); // refills in seconds: not kept as a block
        var now = time.GetUtcNow();
        var full = now + drain * level;
        var decision = new RateLimitDecision(
            Allowed: taken,
            Limit: policy.Limit,
            Remaining: Math.Max(0, (int)Math.Floor(policy.Limit - level)),
            ResetUnixSeconds: (long)Math.Ceiling(full.ToUnixTimeMilliseconds() / 1000.0),
            RetryAfterSeconds: taken ? 0 : Math.Max(1, (int)Math.Ceiling((drain * (level + 1 - policy.Limit)).TotalSeconds)));
        if (!taken && (await counters.IncrementAsync($"rate-audit:{group}:{key}", AuditEvery, IAttackCounters.NeverBlocks, ct)).Count == 1)
        {
            await audit.WriteAsync(new AuditEntry(LogTypes.RateLimitReached, $"Rate limit reached for {group}")
            {
                ClientId = clientId,
                Ip = ip,
                ClientIp = ip,
                Details = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["group"] = group,
                    ["limit"] = policy.Limit,
                    ["per_second"] = policy.PerSecond,
                }),
            }, ct);
        }
        return decision;
    }
}
