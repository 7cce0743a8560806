using Gatehouse.Core.Protection;
using Gatehouse.Storage.Redis;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Readiness reports Redis when it holds the shared state: unreachable is Unhealthy (503) when attack protection fails
/// closed (the node refuses logins, so the load balancer may as well know), Degraded (200) when it fails open.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis, RedisOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (await redis.PingAsync())
            return HealthCheckResult.Healthy();
        return options.WhenDown() == AttackProtectionWhenDown.FailOpen
            ? HealthCheckResult.Degraded("redis unreachable (attack protection fails open)")
            : HealthCheckResult.Unhealthy("redis unreachable (attack protection fails closed)");
    }
}
