using System.Diagnostics;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.SharedState.Tests.Conformance;
using Gatehouse.Storage.Redis;
using Gatehouse.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.SharedState.Tests.Backends;

/// <summary>
/// Redis unreachable: every call answers within its time-out, by the setting. The port is the test's own
/// (<see cref="DeadRedis"/>), once closing every connection and once never answering, so no other process can make it live.
/// </summary>
public abstract class RedisDownTests : IDisposable
{
    /// <summary>The time-out is 500 ms; a hang would never end. 10 s leaves room for a loaded CI machine.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private readonly DeadRedis dead;
    private readonly RedisConnection redis;

    protected RedisDownTests(DeadRedisBehaviour behaviour)
    {
        dead = new DeadRedis(behaviour);
        redis = new RedisConnection(new RedisOptions { Configuration = dead.Configuration, TimeoutMilliseconds = 500 });
    }

    [Fact]
    public async Task Fail_closed_counters_refuse_promptly_with_the_shared_state_error()
    {
        var counters = new AttackCountersWhenDown(new RedisAttackCounters(redis), AttackProtectionWhenDown.FailClosed, NullLogger<AttackCountersWhenDown>.Instance);
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<SharedStateUnavailableException>(async () => await counters.GetAsync("bf|x|y", default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(async () => await counters.IncrementAsync("bf|x|y", TimeSpan.FromMinutes(1), 5, default));
        Assert.True(watch.Elapsed < Prompt, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Fail_open_counters_answer_nothing_counted_promptly()
    {
        var counters = new AttackCountersWhenDown(new RedisAttackCounters(redis), AttackProtectionWhenDown.FailOpen, NullLogger<AttackCountersWhenDown>.Instance);
        var watch = Stopwatch.StartNew();
        Assert.Equal(AttackCount.None, await counters.GetAsync("bf|x|y", default));
        Assert.Equal(1, (await counters.IncrementAsync("bf|x|y", TimeSpan.FromMinutes(1), 5, default)).Count);
        Assert.Equal(0, await counters.GetBucketAsync("sit|1.2.3.4", TimeSpan.FromSeconds(1), default));
        Assert.Empty(await counters.GetMembersAsync("bfidx|x", default));
        await counters.ResetAsync("bf|x|y", default);
        await counters.AddMemberAsync("bfidx|x", "m", TimeSpan.FromMinutes(1), default);
        Assert.True(watch.Elapsed < Prompt, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Codes_and_transactions_refuse_promptly_with_the_shared_state_error()
    {
        var codes = new RedisAuthorizationCodeStore(redis, new Core.Authorization.AuthorizationOptions(), TimeProvider.System);
        var transactions = new RedisLoginTransactionStore(redis, new AesGcmSecretProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), TimeProvider.System);
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => codes.SaveAsync(AuthorizationCodeStoreConformance.NewCode(TimeSpan.FromMinutes(1)), default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => codes.RedeemAsync(Secrets.HashToken("x"), default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => transactions.FindAsync("x", default));
        Assert.False(await redis.PingAsync());
        Assert.True(watch.Elapsed < Prompt, $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Device_authorizations_refuse_promptly_with_the_shared_state_error()
    {
        var devices = new RedisDeviceAuthorizationStore(redis, new AesGcmSecretProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)),
            new DeviceOptions(), TimeProvider.System);
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => devices.TryAddAsync(DeviceAuthorizationStoreConformance.New(TimeSpan.FromMinutes(1)), default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => devices.UpdateAsync(Secrets.HashToken("x"), a => a, default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => devices.FindByUserCodeAsync("BCDF-GHJK", default));
        Assert.True(watch.Elapsed < Prompt, $"took {watch.Elapsed}");
        Assert.True(dead.Accepted > 0, "the client never reached the test's port");
    }

    public void Dispose()
    {
        redis.Dispose();
        dead.Dispose();
        GC.SuppressFinalize(this);
    }
}

/// <summary>A Redis that is gone: every connection is closed at once.</summary>
public sealed class RedisClosingConnectionsTests() : RedisDownTests(DeadRedisBehaviour.Closes);

/// <summary>A Redis that hangs: connections are accepted and never answered.</summary>
public sealed class RedisNeverAnsweringTests() : RedisDownTests(DeadRedisBehaviour.Silent);
