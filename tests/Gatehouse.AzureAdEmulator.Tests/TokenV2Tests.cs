using System.Buffers.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>v2 /oauth2/v2.0/token (scope=): reference §3 and §4.</summary>
public sealed class TokenV2Tests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private const string GraphScopes = "openid profile offline_access https://graph.microsoft.com/User.Read";
    private StsClient Sts => fixture.Sts;

    [Fact]
    public async Task V2_success_has_integer_numbers_scope_with_oidc_and_client_info()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, GraphScopes, extra: ("client_info", "1"));

        Assert.Equal(200, (int)reply.Status);
        var json = reply.Json;
        Assert.Equal(JsonValueKind.Number, json.GetProperty("expires_in").ValueKind);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("ext_expires_in").ValueKind);
        Assert.False(json.TryGetProperty("expires_on", out _));
        Assert.Equal("User.Read Directory.Read.All profile openid email", json.GetProperty("scope").GetString());
        Assert.True(json.TryGetProperty("refresh_token", out _));
        var clientInfo = JsonDocument.Parse(Base64Url.DecodeFromChars(json.GetProperty("client_info").GetString()!)).RootElement;
        Assert.Equal(DemoDirectory.AdeleId, clientInfo.GetProperty("uid").GetString());
        Assert.Equal(DemoDirectory.TenantId, clientInfo.GetProperty("utid").GetString());
    }

    [Fact]
    public async Task V2_without_offline_access_or_openid_has_no_refresh_or_id_token()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read");

        Assert.False(reply.Json.TryGetProperty("refresh_token", out _));
        Assert.False(reply.Json.TryGetProperty("id_token", out _));
        Assert.False(reply.Json.TryGetProperty("client_info", out _));
    }

    [Fact]
    public async Task V2_id_token_is_rs256_with_kid_only_and_verifies_against_the_jwks()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, GraphScopes);
        var idToken = reply.Json.GetProperty("id_token").GetString()!;
        var jwt = JwtParts.Decode(idToken);
        Assert.Equal("RS256", jwt.Header.GetProperty("alg").GetString());
        Assert.True(jwt.Header.TryGetProperty("kid", out _));
        Assert.False(jwt.Header.TryGetProperty("x5t", out _));
        var issuer = $"{fixture.Emulator.BaseUrl}{DemoDirectory.TenantId}/v2.0";
        Assert.Equal(issuer, jwt.Claim("iss"));
        Assert.Equal("2.0", jwt.Claim("ver"));
        Assert.Equal(DemoDirectory.Adele, jwt.Claim("preferred_username"));
        Assert.False(jwt.Has("unique_name"));

        var keys = await Sts.GetAsync($"{DemoDirectory.TenantId}/discovery/v2.0/keys");
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidAudience = DemoDirectory.NativeAppId,
            IssuerSigningKeys = new JsonWebKeySet(keys.Body).GetSigningKeys(),
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
    }

    [Fact]
    public async Task V2_access_token_version_follows_the_resource()
    {
        var graph = await Sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read");
        var graphAt = JwtParts.Decode(graph.Json.GetProperty("access_token").GetString()!);
        Assert.Equal("00000003-0000-0000-c000-000000000000", graphAt.Claim("aud"));
        Assert.Equal("1.0", graphAt.Claim("ver"));
        Assert.Equal($"https://sts.windows.net/{DemoDirectory.TenantId}/", graphAt.Claim("iss"));

        var v2Api = EmulatorSeed.Default.Apps.First(a => a.AppId == DemoDirectory.WebApiAppId) with { AccessTokenAcceptedVersion = 2 };
        await using var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false });
        emulator.Directory.UpsertApp(v2Api);
        using var sts = new StsClient(emulator);
        var api = await sts.PasswordV2Async(DemoDirectory.Adele, $"{DemoDirectory.WebApiAppIdUri}/user_impersonation");
        var apiAt = JwtParts.Decode(api.Json.GetProperty("access_token").GetString()!);
        Assert.Equal(DemoDirectory.WebApiAppId, apiAt.Claim("aud"));
        Assert.Equal("2.0", apiAt.Claim("ver"));
        Assert.Equal(DemoDirectory.NativeAppId, apiAt.Claim("azp"));
        Assert.Equal($"{emulator.BaseUrl}{DemoDirectory.TenantId}/v2.0", apiAt.Claim("iss"));
        Assert.False(apiAt.Header.TryGetProperty("x5t", out _));
        Assert.Equal($"{DemoDirectory.WebApiAppIdUri}/user_impersonation", api.Json.GetProperty("scope").GetString());
    }

    [Theory]
    [InlineData("common")]
    [InlineData("consumers")]
    public async Task V2_password_grant_is_refused_on_common_and_consumers(string tenant)
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, GraphScopes, tenant: tenant);

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal("invalid_request", reply.Error);
        Assert.Equal(9001023, reply.ErrorCode);
    }

    [Fact]
    public async Task V2_organizations_infers_the_tenant()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, GraphScopes, tenant: "organizations");

        Assert.Equal(200, (int)reply.Status);
    }

    [Fact]
    public async Task V2_scopes_of_two_resources_are_refused()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, $"https://graph.microsoft.com/User.Read {DemoDirectory.WebApiAppIdUri}/user_impersonation");

        Assert.Equal("invalid_scope", reply.Error);
        Assert.Equal(700022, reply.ErrorCode);
    }

    [Fact]
    public async Task V2_unknown_resource_is_refused()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, "api://nothing-here/read");

        Assert.Equal("invalid_resource", reply.Error);
        Assert.Equal(500011, reply.ErrorCode);
    }

    [Fact]
    public async Task V2_scope_not_in_required_permissions_needs_consent()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/Mail.Read");

        Assert.Equal(65001, reply.ErrorCode);
        Assert.Equal("consent_required", reply.Json.GetProperty("suberror").GetString());
    }
}
