using System.Globalization;
using System.Text.Json;
using Gatehouse.Core.Logs;

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
/// requests and refills at <see cref="BucketPolicy.PerSecond"/>; a refused request costs nothing. The first refusal of
/// a key in a minute writes an <c>api_limit</c> audit event (more would let a flood fill the log).
/// </summary>
public sealed class RateLimiter(RateLimitOptions options, IRateLimitCounters counters, TimeProvider time, AuditLog audit)
{
    private const double AuditsPerSecond = 1.0 / 60;

    /// <summary>Null when rate limits are disabled.</summary>
    public async ValueTask<RateLimitDecision?> TakeAsync(string group, string key, string? ip, string? clientId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(key);
        if (!options.Enabled)
            return null;
        var policy = options.Groups[group];
        var bucket = await counters.TryTakeAsync($"{group}:{key}", policy.Limit, policy.PerSecond, ct);
        var now = time.GetUtcNow();
        var full = now + TimeSpan.FromSeconds(bucket.Level / policy.PerSecond);
        var decision = new RateLimitDecision(
            Allowed: bucket.Taken,
            Limit: policy.Limit,
            Remaining: Math.Max(0, (int)Math.Floor(policy.Limit - bucket.Level)),
            ResetUnixSeconds: (long)Math.Ceiling(full.ToUnixTimeMilliseconds() / 1000.0),
            RetryAfterSeconds: bucket.Taken ? 0 : Math.Max(1, (int)Math.Ceiling((bucket.Level + 1 - policy.Limit) / policy.PerSecond)));
        if (!bucket.Taken && (await counters.TryTakeAsync($"api_limit:{group}:{key}", 1, AuditsPerSecond, ct)).Taken)
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
