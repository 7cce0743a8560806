using Gatehouse.Core.Authorization;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Protection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// Switches the state several nodes must share from memory to Redis: attack-protection counters (brute force,
/// suspicious IPs, the upstream-lockout guard) and the rate-limit buckets built on them, authorization codes, login
/// transactions, federated states, mfa_tokens, device authorizations and /activate visits (the dashboard's sign-in throttle counts on the
/// attack counters). Called after the in-memory registrations, it replaces them.
/// </summary>
public static class RedisSharedState
{
    public static IServiceCollection AddRedisSharedState(this IServiceCollection services, RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mode = options.Validated().WhenDown();
        services.AddSingleton(options);
        // Connected here, at start, never on a request's path; a Redis that is down does not stop the start. Registered
        // through a factory so the container disposes it (and its reconnect loop) with the host.
        var connection = new RedisConnection(options);
        services.AddSingleton(_ => connection);
        services.Replace(ServiceDescriptor.Singleton<IAttackCounters>(sp => new AttackCountersWhenDown(
            new RedisAttackCounters(sp.GetRequiredService<RedisConnection>()), mode, sp.GetRequiredService<ILogger<AttackCountersWhenDown>>())));
        services.Replace(ServiceDescriptor.Singleton<IAuthorizationCodeStore, RedisAuthorizationCodeStore>());
        services.Replace(ServiceDescriptor.Singleton<ILoginTransactionStore, RedisLoginTransactionStore>());
        services.Replace(ServiceDescriptor.Singleton<IFederatedStateStore, RedisFederatedStateStore>());
        services.Replace(ServiceDescriptor.Singleton<IMfaTokenStore, RedisMfaTokenStore>());
        services.Replace(ServiceDescriptor.Singleton<IDeviceAuthorizationStore, RedisDeviceAuthorizationStore>());
        services.Replace(ServiceDescriptor.Singleton<IDeviceActivationVisitStore, RedisDeviceActivationVisitStore>());
        return services;
    }
}
