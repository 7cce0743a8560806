using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// The password grants as a documented exception: opt-in per client, shorter token lifetimes, and refresh-token
/// families that remember the IP they were issued to (logged when it changes, refused with RefreshTokenBindToIp).
/// </summary>
public sealed class PasswordGrantTokenTests
{
    private const string RealmGrant = "http://auth0.com/oauth/grant-type/password-realm";
    private const string RoGrant = "http://auth0.com/oauth/legacy/grant-type/ro";

    [Fact]
    public async Task The_password_grants_are_opt_in_per_client_and_no_app_type_gets_them_by_default()
    {
        var tenant = await TestTenant.StartAsync(null);
        await using var server = tenant.Server;
        foreach (var appType in new[] { "native", "spa", "regular_web", "non_interactive" })
        {
            var created = await tenant.PostAsync("clients", new { name = "Default " + appType, app_type = appType });
            var grants = created.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()).ToList();
            Assert.DoesNotContain("password", grants);
            Assert.DoesNotContain(RealmGrant, grants);
            Assert.DoesNotContain(RoGrant, grants);
        }

        var app = (await tenant.PostAsync("clients", new { name = "Plain native", app_type = "native" })).GetProperty("client_id").GetString()!;
        (await tenant.Management.PatchAsJsonAsync($"connections/{tenant.ConnectionId}/clients", new[] { new { client_id = app, status = true } })).EnsureSuccessStatusCode();
        await AssertRefusedAsync(tenant, app, "password");
        await AssertRefusedAsync(tenant, app, RealmGrant);
        await AssertRefusedAsync(tenant, app, RoGrant);

        // Opting in to one grant opens that grant only.
        (await tenant.Management.PatchAsJsonAsync($"clients/{app}", new { grant_types = new[] { "password" } })).EnsureSuccessStatusCode();
        await HttpAssert.OkJsonAsync(await LoginAsync(tenant, app, "password"));
        await AssertRefusedAsync(tenant, app, RealmGrant);
        await AssertRefusedAsync(tenant, app, RoGrant);
    }

    [Fact]
    public async Task By_default_password_grant_access_tokens_live_an_hour_and_their_refresh_tokens_fourteen_days()
    {
        var tenant = await TestTenant.StartAsync(null);
        await using var server = tenant.Server;
        var tokens = await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync(audience: null)); // /userinfo tokens default to 86400 s
        Assert.Equal(3600, tokens.GetProperty("expires_in").GetInt32());
        Assert.Equal(3600, Lifetime(tokens.GetProperty("access_token").GetString()!));
        var withApi = await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync());
        var family = await StoredAsync(tenant, withApi.GetProperty("refresh_token").GetString()!);
        Assert.Equal(TimeSpan.FromDays(14), family.ExpiresAt - family.CreatedAt);
        Assert.Equal("password", family.OriginGrantType);

        // Other grants keep their lifetimes.
        var management = await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "client_credentials"), ("client_id", tenant.Server.ManagementClientId),
            ("client_secret", tenant.Server.ManagementClientSecret), ("audience", tenant.Server.ManagementAudience)));
        Assert.Equal(86400, management.GetProperty("expires_in").GetInt32());
    }

    [Fact]
    public async Task Configured_caps_apply_to_the_login_and_to_every_refresh_of_its_family()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var tenant = await TestTenant.StartAsync(c =>
        {
            c["Tokens:PasswordGrantAccessTokenLifetimeSeconds"] = "600";
            c["Tokens:PasswordGrantRefreshTokenLifetimeSeconds"] = "1000";
        }, services => services.AddSingleton<TimeProvider>(clock));
        await using var server = tenant.Server;
        var tokens = await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync()); // the API's token_lifetime is 3600
        Assert.Equal(600, tokens.GetProperty("expires_in").GetInt32());
        Assert.Equal(600, Lifetime(tokens.GetProperty("access_token").GetString()!));
        var family = await StoredAsync(tenant, tokens.GetProperty("refresh_token").GetString()!);
        Assert.Equal(TimeSpan.FromSeconds(1000), family.ExpiresAt - family.CreatedAt);

        clock.Advance(TimeSpan.FromSeconds(500));
        var refreshed = await HttpAssert.OkJsonAsync(await RefreshAsync(tenant, tokens.GetProperty("refresh_token").GetString()!));
        Assert.Equal(600, refreshed.GetProperty("expires_in").GetInt32());
        var successor = await StoredAsync(tenant, refreshed.GetProperty("refresh_token").GetString()!);
        Assert.Equal(family.ExpiresAt, successor.ExpiresAt); // rotation keeps the family's absolute expiry
        Assert.Equal("password", successor.OriginGrantType);

        clock.Advance(TimeSpan.FromSeconds(501));
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(tenant, refreshed.GetProperty("refresh_token").GetString()!), 403, "invalid_grant");
    }

    [Fact]
    public async Task A_refresh_from_another_ip_is_audited_and_allowed_unless_bound()
    {
        var tenant = await TestTenant.StartAsync(c => c["Network:KnownProxies"] = "127.0.0.1");
        await using var server = tenant.Server;
        var login = await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("198.51.100.1", LoginForm(tenant))));
        var first = login.GetProperty("refresh_token").GetString()!;
        Assert.Equal("198.51.100.1", (await StoredAsync(tenant, first)).IssuedIp);

        var moved = await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("198.51.100.2", RefreshForm(tenant, first))));
        var success = (await tenant.LogsOfTypeAsync("sertft"))[0];
        Assert.Equal("198.51.100.2", success.Ip);
        Assert.Equal("198.51.100.1", success.Details!.Value.GetProperty("refresh_token_issued_ip").GetString());
        Assert.True(success.Details.Value.GetProperty("refresh_token_ip_changed").GetBoolean());
        // The successor belongs to the family, which keeps the address it was issued to.
        Assert.Equal("198.51.100.1", (await StoredAsync(tenant, moved.GetProperty("refresh_token").GetString()!)).IssuedIp);

        // From the family's own address nothing is flagged.
        await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("198.51.100.1", RefreshForm(tenant, moved.GetProperty("refresh_token").GetString()!))));
        Assert.False((await tenant.LogsOfTypeAsync("sertft"))[0].Details!.Value.TryGetProperty("refresh_token_ip_changed", out _));
    }

    [Fact]
    public async Task With_ip_binding_a_refresh_from_elsewhere_is_refused_and_changes_nothing()
    {
        var tenant = await TestTenant.StartAsync(c =>
        {
            c["Network:KnownProxies"] = "127.0.0.1";
            c["Tokens:RefreshTokenBindToIp"] = "true";
        });
        await using var server = tenant.Server;
        var login = await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("203.0.113.5", LoginForm(tenant))));
        var token = login.GetProperty("refresh_token").GetString()!;
        var before = await StoredAsync(tenant, token);

        await HttpAssert.OAuthErrorAsync(await tenant.Server.Client.SendAsync(From("203.0.113.6", RefreshForm(tenant, token))),
            403, "invalid_grant", "Unknown or invalid refresh token.");
        var after = await StoredAsync(tenant, token);
        Assert.Equal((before.Version, before.RotatedAt, before.RevokedAt), (after.Version, after.RotatedAt, after.RevokedAt)); // not rotated, not revoked
        var failure = (await tenant.LogsOfTypeAsync("fertft"))[0];
        Assert.Equal("203.0.113.6", failure.Ip);
        Assert.Contains("issued to 203.0.113.5", failure.Details!.Value.GetProperty("error").GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The rightful holder still refreshes from the address the family was issued to.
        await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("203.0.113.5", RefreshForm(tenant, token))));

        // IPv6 is compared per /64: privacy addresses change inside it.
        var v6 = (await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("2001:db8:1:2::10", LoginForm(tenant))))).GetProperty("refresh_token").GetString()!;
        var sameNetwork = await HttpAssert.OkJsonAsync(await tenant.Server.Client.SendAsync(From("2001:db8:1:2:aaaa::99", RefreshForm(tenant, v6))));
        await HttpAssert.OAuthErrorAsync(await tenant.Server.Client.SendAsync(From("2001:db8:1:3::10", RefreshForm(tenant, sameNetwork.GetProperty("refresh_token").GetString()!))),
            403, "invalid_grant");
    }

    [Fact]
    public void Client_addresses_are_compared_per_ipv4_address_and_per_ipv6_slash_64()
    {
        Assert.True(ClientAddresses.Same("10.0.0.1", "::ffff:10.0.0.1"));
        Assert.False(ClientAddresses.Same("10.0.0.1", "10.0.0.2"));
        Assert.True(ClientAddresses.Same("2001:db8::1", "2001:db8::ffff:1"));
        Assert.False(ClientAddresses.Same("2001:db8:0:1::1", "2001:db8:0:2::1"));
        Assert.False(ClientAddresses.Same("10.0.0.1", null));
        Assert.False(ClientAddresses.Same("not-an-ip", "not-an-ip"));
    }

    private static async Task AssertRefusedAsync(TestTenant tenant, string clientId, string grant) =>
        await HttpAssert.OAuthErrorAsync(await LoginAsync(tenant, clientId, grant), 403, "unauthorized_client", $"Grant type '{grant}' not allowed for the client.");

    /// <summary>One login through the grant's own endpoint (/oauth/ro for the legacy grant).</summary>
    private static Task<HttpResponseMessage> LoginAsync(TestTenant tenant, string clientId, string grant) => grant switch
    {
        RoGrant => tenant.Server.Client.PostAsJsonAsync("oauth/ro", new { client_id = clientId, connection = TestTenant.Connection, grant_type = "password", username = TestTenant.UserEmail, password = TestTenant.UserPassword }),
        RealmGrant => tenant.TokenAsync(("grant_type", grant), ("client_id", clientId), ("realm", TestTenant.Connection), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword)),
        _ => tenant.TokenAsync(("grant_type", grant), ("client_id", clientId), ("username", TestTenant.UserEmail), ("password", TestTenant.UserPassword)),
    };

    private static Dictionary<string, string> LoginForm(TestTenant tenant) => new()
    {
        ["grant_type"] = "password",
        ["client_id"] = tenant.NativeClientId,
        ["username"] = TestTenant.UserEmail,
        ["password"] = TestTenant.UserPassword,
        ["scope"] = "openid offline_access",
        ["audience"] = TestTenant.ApiAudience,
    };

    private static Dictionary<string, string> RefreshForm(TestTenant tenant, string refreshToken) => new()
    {
        ["grant_type"] = "refresh_token",
        ["client_id"] = tenant.NativeClientId,
        ["refresh_token"] = refreshToken,
    };

    private static Task<HttpResponseMessage> RefreshAsync(TestTenant tenant, string refreshToken) =>
        tenant.TokenAsync([.. RefreshForm(tenant, refreshToken).Select(p => (p.Key, p.Value))]);

    /// <summary>A token request as a known proxy would forward it for <paramref name="clientIp"/>.</summary>
    private static HttpRequestMessage From(string clientIp, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("X-Forwarded-For", clientIp);
        return request;
    }

    private static async Task<RefreshToken> StoredAsync(TestTenant tenant, string raw) =>
        (await tenant.Server.Store.GetRefreshTokenAsync(Secrets.HashToken(raw), CancellationToken.None))!;

    private static long Lifetime(string jwt)
    {
        var token = new JsonWebToken(jwt);
        return token.GetPayloadValue<long>("exp") - token.GetPayloadValue<long>("iat");
    }
}
