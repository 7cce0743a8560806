using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>refresh_token grant: multi-resource refresh tokens (v1 resource=, v2 scope=) and refusals.</summary>
public sealed class RefreshTokenTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private StsClient Sts => fixture.Sts;

    private Task<Reply> RefreshAsync(string version, string refreshToken, string clientId = DemoDirectory.NativeAppId, params (string, string)[] extra) =>
        Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/{(version == "1.0" ? "" : "v2.0/")}token",
            [("grant_type", "refresh_token"), ("client_id", clientId), ("refresh_token", refreshToken), .. extra]);

    [Fact]
    public async Task A_v1_refresh_token_for_the_web_api_is_redeemed_for_graph_which_then_answers()
    {
        var login = await Sts.PasswordV1Async(DemoDirectory.Adele, DemoDirectory.WebApiAppIdUri);
        var refreshToken = login.Json.GetProperty("refresh_token").GetString()!;

        var graph = await RefreshAsync("1.0", refreshToken, extra: ("resource", "https://graph.microsoft.com"));

        Assert.Equal(200, (int)graph.Status);
        Assert.Equal("https://graph.microsoft.com", graph.Json.GetProperty("resource").GetString());
        var at = graph.Json.GetProperty("access_token").GetString()!;
        Assert.Equal("https://graph.microsoft.com", JwtParts.Decode(at).Claim("aud"));
        var me = await Sts.GetAsync("v1.0/me", at);
        Assert.Equal(200, (int)me.Status);
        Assert.Equal(DemoDirectory.Adele, me.Json.GetProperty("userPrincipalName").GetString());
    }

    [Fact]
    public async Task A_v1_refresh_without_resource_stays_on_the_original_resource()
    {
        var login = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.windows.net");

        var again = await RefreshAsync("1.0", login.Json.GetProperty("refresh_token").GetString()!);

        Assert.Equal(200, (int)again.Status);
        Assert.Equal(DemoDirectory.NativeAppId, JwtParts.Decode(again.Json.GetProperty("access_token").GetString()!).Claim("appid"));
        Assert.Equal("https://graph.windows.net", again.Json.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task A_v2_refresh_token_is_redeemed_with_another_scope()
    {
        var login = await Sts.PasswordV2Async(DemoDirectory.Adele, "openid offline_access https://graph.microsoft.com/User.Read");

        var api = await RefreshAsync("2.0", login.Json.GetProperty("refresh_token").GetString()!, extra: ("scope", $"{DemoDirectory.WebApiAppIdUri}/user_impersonation offline_access"));

        Assert.Equal(200, (int)api.Status);
        Assert.Equal(DemoDirectory.WebApiAppIdUri, JwtParts.Decode(api.Json.GetProperty("access_token").GetString()!).Claim("aud"));
        Assert.True(api.Json.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task A_tampered_refresh_token_is_refused()
    {
        var login = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");
        var token = login.Json.GetProperty("refresh_token").GetString()!;

        var reply = await RefreshAsync("1.0", token[..^3] + "AAA");

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Equal(9002313, reply.ErrorCode);
    }

    [Fact]
    public async Task A_refresh_token_of_another_client_is_refused()
    {
        var login = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");

        var reply = await RefreshAsync("1.0", login.Json.GetProperty("refresh_token").GetString()!, DemoDirectory.UnconsentedAppId);

        Assert.Equal(70000, reply.ErrorCode);
    }

    [Fact]
    public async Task A_refresh_for_a_user_disabled_since_is_refused()
    {
        await using var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false });
        using var sts = new StsClient(emulator);
        var login = await sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");
        var adele = emulator.Directory.Seed.Users.First(u => u.Id == DemoDirectory.AdeleId);
        emulator.Directory.UpsertUser(adele with { AccountEnabled = false });

        var reply = await sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/token",
            [("grant_type", "refresh_token"), ("client_id", DemoDirectory.NativeAppId), ("refresh_token", login.Json.GetProperty("refresh_token").GetString()!)]);

        Assert.Equal(50057, reply.ErrorCode);
    }
}
