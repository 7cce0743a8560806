using System.Diagnostics;
using System.Net;
using Gatehouse.Server.Tests.Infrastructure;
using Gatehouse.Tests.Shared;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>
/// Issue 20, item 4: Redis holds the shared state and is down (a loopback port the test holds and that closes every connection, or never answers:
/// <see cref="DeadRedis"/>, so no other process can take it). A password login
/// answers promptly, never hangs: refused with 503 temporarily_unavailable when attack protection fails closed (the
/// default), granted uncounted when it fails open; readiness says which.
/// </summary>
public sealed class RedisDownTests
{
    /// <summary>
    /// A hang is a request that never answers (HttpClient gives up after 100 s); the server's Redis time-out is 500 ms.
    /// 10 s sits between them with room for a loaded two-core CI machine.
    /// </summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private static async Task<HttpResponseMessage> PromptlyAsync(Func<Task<HttpResponseMessage>> send)
    {
        var watch = Stopwatch.StartNew();
        var response = await send();
        Assert.True(watch.Elapsed < Prompt, $"answered after {watch.Elapsed}");
        return response;
    }

    private static Task<TestTenant> StartAsync(string? whenDown, DeadRedis dead) => TestTenant.StartAsync(c =>
    {
        c["Redis:Configuration"] = dead.Configuration;
        c["Redis:TimeoutMilliseconds"] = "500";
        c["Redis:AttackProtectionWhenDown"] = whenDown;
        c["RateLimits:Enabled"] = "false";
    });

    [Theory]
    [InlineData(DeadRedisBehaviour.Closes)]
    [InlineData(DeadRedisBehaviour.Silent)]
    public async Task Fail_closed_by_default_a_password_login_is_refused_promptly_with_503_and_readiness_fails(DeadRedisBehaviour behaviour)
    {
        using var dead = new DeadRedis(behaviour);
        var tenant = await StartAsync(whenDown: null, dead);
        try
        {
            using var login = await PromptlyAsync(() => tenant.PasswordLoginAsync());
            await HttpAssert.OAuthErrorAsync(login, 503, "temporarily_unavailable", "Login is temporarily unavailable. Please try again later.");
            Assert.Equal("5", login.Headers.RetryAfter?.ToString());

            using var ready = await tenant.Server.Client.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
            Assert.Equal("Unhealthy", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            await tenant.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(DeadRedisBehaviour.Closes)]
    [InlineData(DeadRedisBehaviour.Silent)]
    public async Task Fail_open_a_password_login_goes_ahead_uncounted_and_readiness_is_degraded(DeadRedisBehaviour behaviour)
    {
        using var dead = new DeadRedis(behaviour);
        var tenant = await StartAsync("fail-open", dead);
        try
        {
            for (var i = 0; i < 12; i++)
                await HttpAssert.OAuthErrorAsync(await PromptlyAsync(() => tenant.PasswordLoginAsync(password: "wrong-password")), 403, "invalid_grant");
            using var login = await PromptlyAsync(() => tenant.PasswordLoginAsync());
            Assert.Equal(HttpStatusCode.OK, login.StatusCode); // twelve failures past the threshold of 10, yet nothing was counted

            using var ready = await tenant.Server.Client.GetAsync("health/ready");
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Degraded", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            await tenant.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(DeadRedisBehaviour.Closes)]
    [InlineData(DeadRedisBehaviour.Silent)]
    public async Task The_browser_sign_in_state_in_redis_answers_503_promptly_not_500(DeadRedisBehaviour behaviour)
    {
        using var dead = new DeadRedis(behaviour);
        var tenant = await StartAsync("fail-open", dead);
        try
        {
            using var page = await PromptlyAsync(() => tenant.Server.Client.GetAsync("u/login?state=" + new string('a', 32)));
            await HttpAssert.OAuthErrorAsync(page, 503, "temporarily_unavailable");
        }
        finally
        {
            await tenant.DisposeAsync();
        }
    }

    [Theory]
    [InlineData(DeadRedisBehaviour.Closes)]
    [InlineData(DeadRedisBehaviour.Silent)]
    public async Task The_device_flow_state_in_redis_answers_503_promptly_not_500(DeadRedisBehaviour behaviour)
    {
        using var dead = new DeadRedis(behaviour);
        await using var world = await DeviceFlow.DeviceWorld.StartAsync(c =>
        {
            c["Redis:Configuration"] = dead.Configuration;
            c["Redis:TimeoutMilliseconds"] = "500";
            c["Redis:AttackProtectionWhenDown"] = "fail-open";
            c["RateLimits:Enabled"] = "false";
        });
        using var start = await PromptlyAsync(() => world.StartAsync());
        await HttpAssert.OAuthErrorAsync(start, 503, "temporarily_unavailable");
        using var activate = await PromptlyAsync(() => world.Tenant.Server.Client.GetAsync("activate"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, activate.StatusCode);
    }

    [Fact]
    public async Task An_unknown_failure_mode_stops_the_start_naming_the_key()
    {
        using var dead = new DeadRedis(DeadRedisBehaviour.Closes);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAsync("fail-sideways", dead));
        Assert.Contains("Redis:AttackProtectionWhenDown", e.Message, StringComparison.Ordinal);
    }
}
