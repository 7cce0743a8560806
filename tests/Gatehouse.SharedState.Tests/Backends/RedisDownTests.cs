using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.SharedState.Tests.Conformance;
using Gatehouse.Storage.Redis;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gatehouse.SharedState.Tests.Backends;

/// <summary>Redis unreachable (a loopback port nothing listens on): every call answers within its time-out, by the setting.</summary>
public sealed class RedisDownTests : IDisposable
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(3);

    private readonly RedisConnection redis = new(new RedisOptions { Configuration = ClosedPort(), TimeoutMilliseconds = 500 });

    /// <summary>A port that was free a moment ago: connecting to it is refused at once.</summary>
    internal static string ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return "127.0.0.1:" + port;
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
        var transactions = new RedisLoginTransactionStore(redis, TimeProvider.System);
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => codes.SaveAsync(AuthorizationCodeStoreConformance.NewCode(TimeSpan.FromMinutes(1)), default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => codes.RedeemAsync(Secrets.HashToken("x"), default));
        await Assert.ThrowsAsync<SharedStateUnavailableException>(() => transactions.FindAsync("x", default));
        Assert.False(await redis.PingAsync());
        Assert.True(watch.Elapsed < Prompt, $"took {watch.Elapsed}");
    }

    public void Dispose() => redis.Dispose();
}
