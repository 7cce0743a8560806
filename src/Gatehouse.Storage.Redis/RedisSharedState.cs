using Gatehouse.Core.Authorization;
using Gatehouse.Core.Protection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// Switches the state several nodes must share from memory to Redis: attack-protection counters (brute force,
/// suspicious IPs, the upstream-lockout guard) and the rate-limit buckets built on them, authorization codes and login
/// transactions. Called after the in-memory registrations, it replaces them.
/// </summary>
public static class RedisSharedState
{
    public static IServiceCollection AddRedisSharedState(this IServiceCollection services, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.Validated().WhenDown();
        services.AddSingleton(options);
        // Connected here, at start, never on a request's path; a Redis that is down does not stop the start.
        services.AddSingleton(new RedisConnection(options));
        services.Replace(ServiceDescriptor.Singleton<IAttackCounters>(sp => new AttackCountersWhenDown(
            new RedisAttackCounters(sp.GetRequiredService<RedisConnection>()), mode, sp.GetRequiredService<ILogger<AttackCountersWhenDown>>())));
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationCodeStore, RedisAuthorizationCodeStore>());
        services.Replace(ServiceDescriptor.Singleton<ILoginTransactionStore, RedisLoginTransactionStore>());
        return services;
    }
}
