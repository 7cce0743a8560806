using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.RateLimiting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// Token buckets per endpoint group with Auth0's x-ratelimit-* headers and 429 bodies, over real HTTP. The server's
/// clock is a FakeTimeProvider, so refills are driven by advancing it, never by sleeping.
/// </summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Authentication_api_counts_down_refuses_at_the_limit_in_its_shape_and_refills()
    {
        var clock = WholeSecondClock();
        await using var server = await StartAsync(clock, c =>
        {
            c["RateLimits:Authentication:Limit"] = "3";
            c["RateLimits:Authentication:PerSecond"] = "0.5";
        });
        var now = clock.GetUtcNow().ToUnixTimeSeconds();

        // Every response of the group carries the headers, refusals of the request itself included (400 here).
        var first = await server.Client.PostAsync("oauth/token", Form(("grant_type", "password")));
        Assert.Equal(HttpStatusCode.BadRequest, first.StatusCode);
        AssertHeaders(first, limit: 3, remaining: 2, reset: now + 2);
        // /oauth/ro and /oauth/revoke share the bucket.
        AssertHeaders(await server.Client.PostAsync("oauth/ro", Form(("grant_type", "password"))), 3, 1, now + 4);
        AssertHeaders(await server.Client.PostAsync("oauth/revoke", Form(("token", "x"))), 3, 0, now + 6);

        var refused = await server.Client.PostAsync("oauth/token", Form(("grant_type", "password")));
        await HttpAssert.OAuthErrorAsync(refused, 429, "too_many_requests", RateLimitEndpoints.AuthenticationMessage);
        AssertHeaders(refused, 3, 0, now + 6);
        Assert.Equal(TimeSpan.FromSeconds(2), refused.Headers.RetryAfter?.Delta);
        Assert.Equal("no-store", refused.Headers.CacheControl?.ToString());

        // Two seconds give back one request; six the whole bucket.
        clock.Advance(TimeSpan.FromSeconds(2));
        AssertHeaders(await server.Client.PostAsync("oauth/token", Form(("grant_type", "password"))), 3, 0, now + 8);
        Assert.Equal(429, (int)(await server.Client.PostAsync("oauth/token", Form(("grant_type", "password")))).StatusCode);
        clock.Advance(TimeSpan.FromSeconds(6));
        AssertHeaders(await server.Client.PostAsync("oauth/token", Form(("grant_type", "password"))), 3, 2, now + 10);

        // One api_limit audit event per key per minute, not one per refused request.
        var limits = await ApiLimitEventsAsync(server);
        var limit = Assert.Single(limits);
        Assert.Equal("127.0.0.1", limit.GetProperty("ip").GetString());
        Assert.Equal(RateLimitOptions.Authentication, limit.GetProperty("details").GetProperty("group").GetString());
    }

    [Fact]
    public async Task Management_api_is_limited_per_client_with_auth0s_body_and_bad_tokens_do_not_spend_a_clients_bucket()
    {
        var clock = WholeSecondClock();
        await using var server = await StartAsync(clock, c =>
        {
            c["RateLimits:ManagementApi:Limit"] = "4";
            c["RateLimits:ManagementApi:PerSecond"] = "1";
        });
        using var api = await server.CreateManagementClientAsync();
        var created = await HttpAssert.OkJsonAsync(await api.PostAsJsonAsync("clients", new { name = "Other", app_type = "non_interactive" }), HttpStatusCode.Created);
        var otherId = created.GetProperty("client_id").GetString()!;
        await HttpAssert.OkJsonAsync(await api.PostAsJsonAsync("client-grants", new { client_id = otherId, audience = server.ManagementAudience, scope = new[] { "read:clients" } }), HttpStatusCode.Created);
        var otherToken = (await HttpAssert.OkJsonAsync(await server.Client.PostAsync("oauth/token", Form(("grant_type", "client_credentials"), ("client_id", otherId),
            ("client_secret", created.GetProperty("client_secret").GetString()!), ("audience", server.ManagementAudience))))).GetProperty("access_token").GetString()!;
        using var other = await server.CreateManagementClientAsync(otherToken);
        clock.Advance(TimeSpan.FromSeconds(10)); // the set-up calls spent part of the bootstrap client's bucket

        // Requests without a valid token are counted per IP: they run out on their own...
        using var forged = await server.CreateManagementClientAsync("not-a-token");
        for (var i = 0; i < 4; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await forged.GetAsync("clients")).StatusCode);
        await HttpAssert.ManagementErrorAsync(await forged.GetAsync("clients"), 429, "too_many_requests");

        // ...and leave the client's bucket whole.
        for (var remaining = 3; remaining >= 0; remaining--)
        {
            var ok = await api.GetAsync("clients");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            AssertHeaders(ok, 4, remaining, null);
        }
        var refused = await api.GetAsync("clients");
        Assert.Equal(429, (int)refused.StatusCode);
        var body = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("""{"statusCode":429,"error":"Too Many Requests","message":"Global limit has been reached","errorCode":"too_many_requests"}""", body.GetRawText());
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Headers.RetryAfter?.Delta);
        AssertHeaders(refused, 4, 0, clock.GetUtcNow().ToUnixTimeSeconds() + 4);
        // Writes are refused too, before any change.
        Assert.Equal(429, (int)(await api.PostAsJsonAsync("clients", new { name = "Refused" })).StatusCode);
        Assert.DoesNotContain("Refused", await (await other.GetAsync("clients")).Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another client has its own bucket; the refused one refills with time.
        AssertHeaders(await other.GetAsync("clients"), 4, 2, null);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("clients")).StatusCode);

        clock.Advance(TimeSpan.FromSeconds(10));
        var limits = await ApiLimitEventsAsync(server);
        Assert.Equal(2, limits.Count); // one per key per minute: the forged caller's IP, and the bootstrap client
        var byClient = Assert.Single(limits, l => l.TryGetProperty("client_id", out _));
        Assert.Equal(server.ManagementClientId, byClient.GetProperty("client_id").GetString());
        Assert.All(limits, l => Assert.Equal(RateLimitOptions.ManagementApi, l.GetProperty("details").GetProperty("group").GetString()));
    }

    [Fact]
    public async Task Userinfo_is_limited_per_user_and_discovery_per_ip_with_their_own_limits()
    {
        var clock = WholeSecondClock();
        var tenant = await TestTenant.StartAsync(c =>
        {
            c["RateLimits:UserInfo:Limit"] = "2";
            c["RateLimits:UserInfo:PerSecond"] = "0.1";
            c["RateLimits:Discovery:Limit"] = "1";
        }, services => services.AddSingleton<TimeProvider>(clock));
        await using var _ = tenant.Server;
        var tokens = await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync(audience: null));
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        // The token endpoint keeps its default bucket.
        AssertHeaders(await tenant.PasswordLoginAsync(audience: null), 300, null, null);

        // Bad tokens are counted per IP, so they leave the user's bucket alone.
        for (var i = 0; i < 2; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(tenant.Server, "bad")).StatusCode);
        Assert.Equal(429, (int)(await UserInfoAsync(tenant.Server, "bad")).StatusCode);

        var first = await UserInfoAsync(tenant.Server, accessToken);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        AssertHeaders(first, 2, 1, null);
        AssertHeaders(await UserInfoAsync(tenant.Server, accessToken), 2, 0, null);
        var refused = await UserInfoAsync(tenant.Server, accessToken);
        await HttpAssert.OAuthErrorAsync(refused, 429, "too_many_requests");
        Assert.Equal(TimeSpan.FromSeconds(10), refused.Headers.RetryAfter?.Delta);
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(tenant.Server, accessToken)).StatusCode);

        AssertHeaders(await tenant.Server.Client.GetAsync(".well-known/jwks.json"), 1, 0, null);
        Assert.Equal(429, (int)(await tenant.Server.Client.GetAsync(".well-known/openid-configuration")).StatusCode);
    }

    [Fact]
    public async Task Defaults_apply_without_configuration_and_disabled_means_no_headers_and_no_refusals()
    {
        await using (var defaults = await GatehouseTestServer.StartAsync())
        {
            AssertHeaders(await defaults.Client.PostAsync("oauth/token", Form(("grant_type", "password"))), 300, 299, null);
            using var api = await defaults.CreateManagementClientAsync();
            AssertHeaders(await api.GetAsync("clients"), 100, 99, null);
        }

        await using var disabled = await GatehouseTestServer.StartAsync(c =>
        {
            c["RateLimits:Enabled"] = "false";
            c["RateLimits:Authentication:Limit"] = "1";
        });
        for (var i = 0; i < 5; i++)
        {
            var response = await disabled.Client.PostAsync("oauth/token", Form(("grant_type", "password")));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(response.Headers.Contains("x-ratelimit-limit"));
        }
    }

    [Fact]
    public void Limits_that_make_no_sense_stop_the_start_with_the_key_named()
    {
        static RateLimitOptions Read(string key, string value) => RateLimitOptions.From(
            new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build());
        Assert.Contains("RateLimits:UserInfo:Limit", Assert.Throws<InvalidOperationException>(() => Read("RateLimits:UserInfo:Limit", "0")).Message, StringComparison.Ordinal);
        Assert.Contains("RateLimits:ManagementApi:PerSecond", Assert.Throws<InvalidOperationException>(() => Read("RateLimits:ManagementApi:PerSecond", "-1")).Message, StringComparison.Ordinal);
        var read = Read("RateLimits:Discovery:PerSecond", "2.5");
        Assert.Equal(new BucketPolicy(100, 2.5), read.Groups[RateLimitOptions.Discovery]);
        Assert.Equal(RateLimitOptions.Defaults[RateLimitOptions.Authentication], read.Groups[RateLimitOptions.Authentication]);
    }

    /// <summary>A frozen clock on a whole second, so x-ratelimit-reset (rounded up to a second) is exact.</summary>
    private static FakeTimeProvider WholeSecondClock() => new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    private static Task<GatehouseTestServer> StartAsync(FakeTimeProvider clock, Action<Dictionary<string, string?>> configure) =>
        GatehouseTestServer.StartAsync(configure, services => services.AddSingleton<TimeProvider>(clock));

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] parameters) =>
        new(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)));

    private static Task<HttpResponseMessage> UserInfoAsync(GatehouseTestServer server, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return server.Client.SendAsync(request);
    }

    private static void AssertHeaders(HttpResponseMessage response, int limit, int? remaining, long? reset)
    {
        Assert.Equal(limit.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "x-ratelimit-limit"));
        if (remaining is not null)
            Assert.Equal(remaining.Value.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(response, "x-ratelimit-remaining"));
        var resetAt = long.Parse(Header(response, "x-ratelimit-reset"), System.Globalization.CultureInfo.InvariantCulture);
        if (reset is not null)
            Assert.Equal(reset.Value, resetAt);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? Assert.Single(values) : throw new Xunit.Sdk.XunitException($"no {name} header on {(int)response.StatusCode}");

    private static async Task<List<JsonElement>> ApiLimitEventsAsync(GatehouseTestServer server)
    {
        using var api = await server.CreateManagementClientAsync();
        var logs = await HttpAssert.OkJsonAsync(await api.GetAsync("logs?per_page=100"));
        return logs.EnumerateArray().Where(l => l.GetProperty("type").GetString() == "api_limit").ToList();
    }
}
