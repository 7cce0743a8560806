using System.Security.Cryptography;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;
using Gatehouse.Storage.Redis;
using StackExchange.Redis;

namespace Gatehouse.SharedState.Tests.Backends;

/// <summary>What someone reading Redis sees: hashes for keys, and no secret that would continue or redeem a sign-in.</summary>
public sealed class RedisAtRestTests : IDisposable
{
    private readonly string prefix = "gatehouse-rest:" + Guid.NewGuid().ToString("N")[..12] + ":";
    private readonly RedisConnection redis;
    private readonly ConnectionMultiplexer reader = ConnectionMultiplexer.Connect(RedisBackend.Configuration);

    public RedisAtRestTests() => redis = RedisBackend.Connect(prefix);

    [Fact]
    public async Task Keys_and_values_hold_no_state_transaction_id_nonce_or_verifier_in_the_clear()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var state = new FederatedState(Secrets.RandomToken(32), Secrets.RandomToken(24), "contoso", Secrets.RandomToken(32), Secrets.RandomToken(32),
            null, null, DateTimeOffset.UtcNow.AddMinutes(5), Secrets.HashToken("browser"));
        await new RedisFederatedStateStore(redis, protector, TimeProvider.System).SaveAsync(state, default);
        var transaction = new LoginTransaction(state.TransactionId,
            new AuthorizationRequest("c", "https://app.example/cb", "query", null, null, "openid", null, null, null, null, null, null, null),
            DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddMinutes(5));
        await new RedisLoginTransactionStore(redis, protector, TimeProvider.System).SaveAsync(transaction, default);

        var server = reader.GetServer(reader.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
            keys.Add(key.ToString());
        Assert.Equal(2, keys.Count);
        var secrets = new[] { state.State, state.TransactionId, state.Nonce, state.CodeVerifier };
        foreach (var key in keys)
        {
            var value = (string?)await reader.GetDatabase().StringGetAsync(key);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, key, StringComparison.Ordinal));
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, value!, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task A_device_authorization_holds_no_device_code_user_code_or_upstream_device_code_in_the_clear()
    {
        using var protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        var deviceCode = Secrets.RandomToken(32);
        var device = Conformance.DeviceAuthorizationStoreConformance.New(TimeSpan.FromMinutes(5)) with { DeviceCodeHash = Secrets.HashToken(deviceCode) };
        var devices = new RedisDeviceAuthorizationStore(redis, protector, new Core.Devices.DeviceOptions(), TimeProvider.System);
        await devices.TryAddAsync(device, default);
        var brokered = Conformance.DeviceAuthorizationStoreConformance.New(TimeSpan.FromMinutes(5)) with
        {
            Upstream = new Core.Devices.UpstreamDeviceFlow(Secrets.RandomToken(32), 5, DateTimeOffset.UtcNow),
        };
        await devices.TryAddAsync(brokered, default);

        var server = reader.GetServer(reader.GetEndPoints()[0]);
        var keys = new List<string>();
        await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
            keys.Add(key.ToString());
        Assert.Equal(3, keys.Count); // two authorizations, one user code (a brokered code is the provider's)
        var secrets = new[] { deviceCode, device.UserCode, brokered.UserCode, brokered.Upstream.DeviceCode, device.LoginHint! };
        foreach (var key in keys)
        {
            var type = await reader.GetDatabase().KeyTypeAsync(key);
            var value = type == RedisType.Hash
                ? string.Join("|", (await reader.GetDatabase().HashGetAllAsync(key)).Select(e => e.Name + "=" + e.Value))
                : (string?)await reader.GetDatabase().StringGetAsync(key);
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, key, StringComparison.Ordinal));
            Assert.All(secrets, secret => Assert.DoesNotContain(secret, value!, StringComparison.Ordinal));
        }
    }

    public void Dispose()
    {
        redis.Dispose();
        reader.Dispose();
    }
}
