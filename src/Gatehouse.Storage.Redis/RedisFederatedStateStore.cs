using System.Text.Json;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// <see cref="IFederatedStateStore"/> in Redis: under the SHA-256 of the <c>state</c>, expiring with it, taken with
/// GETDEL (exactly one callback gets it, on whichever node). The value holds the nonce and the PKCE verifier that redeem
/// the provider's code, so it is sealed with the master key (<see cref="ISecretProtector"/>) as upstream secrets are.
/// </summary>
public sealed class RedisFederatedStateStore(RedisConnection redis, ISecretProtector protector, TimeProvider time) : IFederatedStateStore
{
    private const string Area = "fed";
    private const string Purpose = "redis-federated-state";

    public async Task SaveAsync(FederatedState state, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (RedisJson.Lifetime(state.ExpiresAt, time) is not { } lifetime)
            return;
        var sealedValue = protector.Protect(JsonSerializer.Serialize(state, RedisJson.Options), Purpose);
        await redis.RunAsync("save federated state", db => db.StringSetAsync(Key(state.State), sealedValue, TimeSpan.FromMilliseconds(lifetime)));
    }

    public async Task<FederatedState?> TakeAsync(string state, CancellationToken ct)
    {
        var value = await redis.RunAsync("take federated state", db => db.StringGetDeleteAsync(Key(state)));
        return value.IsNull ? null : JsonSerializer.Deserialize<FederatedState>(protector.Unprotect(value.ToString(), Purpose), RedisJson.Options);
    }

    private StackExchange.Redis.RedisKey Key(string state) => redis.Key(Area, Secrets.HashToken(state));
}
