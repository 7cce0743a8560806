using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>v1 /oauth2/token (resource=): reference §2 and §4.</summary>
public sealed class TokenV1Tests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private StsClient Sts => fixture.Sts;

    [Fact]
    public async Task V1_success_has_string_numbers_the_resource_and_no_store_headers()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.windows.net");

        Assert.Equal(200, (int)reply.Status);
        var json = reply.Json;
        Assert.Equal("Bearer", json.GetProperty("token_type").GetString());
        foreach (var name in new[] { "expires_in", "ext_expires_in", "expires_on", "not_before" })
            Assert.Equal(JsonValueKind.String, json.GetProperty(name).ValueKind);
        Assert.NotEqual("3600", json.GetProperty("expires_in").GetString());
        Assert.Equal("https://graph.windows.net", json.GetProperty("resource").GetString());
        Assert.Equal("User.Read Directory.Read.All", json.GetProperty("scope").GetString());
        Assert.False(string.IsNullOrEmpty(json.GetProperty("refresh_token").GetString()));
        Assert.Equal("no-store, no-cache", reply.Header("Cache-Control"));
        Assert.Equal("no-cache", reply.Header("Pragma"));
        Assert.True(Guid.TryParse(reply.Header("x-ms-request-id"), out _));
        Assert.StartsWith("application/json; charset=utf-8", reply.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_id_token_is_unsigned_with_v1_claims()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.windows.net");
        var idToken = reply.Json.GetProperty("id_token").GetString()!;

        Assert.EndsWith(".", idToken, StringComparison.Ordinal);
        var jwt = JwtParts.Decode(idToken);
        Assert.Equal("{\"typ\":\"JWT\",\"alg\":\"none\"}", jwt.Header.GetRawText());
        Assert.Equal("", jwt.Signature);
        Assert.Equal(DemoDirectory.NativeAppId, jwt.Claim("aud"));
        Assert.Equal($"https://sts.windows.net/{DemoDirectory.TenantId}/", jwt.Claim("iss"));
        Assert.Equal("1.0", jwt.Claim("ver"));
        Assert.Equal(DemoDirectory.Adele, jwt.Claim("upn"));
        Assert.Equal(DemoDirectory.Adele, jwt.Claim("unique_name"));
        Assert.Equal("Adele", jwt.Claim("given_name"));
        Assert.Equal("Vance", jwt.Claim("family_name"));
        Assert.Equal(DemoDirectory.AdeleId, jwt.Claim("oid"));
        Assert.Equal(DemoDirectory.TenantId, jwt.Claim("tid"));
        Assert.Equal(JsonValueKind.Number, jwt.Payload.GetProperty("exp").ValueKind);
        Assert.False(jwt.Has("preferred_username"));
    }

    [Fact]
    public async Task V1_access_token_has_x5t_equal_to_kid_and_v1_claims()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.windows.net");
        var at = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);

        Assert.Equal("RS256", at.Header.GetProperty("alg").GetString());
        Assert.Equal(at.Header.GetProperty("kid").GetString(), at.Header.GetProperty("x5t").GetString());
        Assert.Equal("https://graph.windows.net", at.Claim("aud"));
        Assert.Equal($"https://sts.windows.net/{DemoDirectory.TenantId}/", at.Claim("iss"));
        Assert.Equal("1.0", at.Claim("ver"));
        Assert.Equal(DemoDirectory.NativeAppId, at.Claim("appid"));
        Assert.Equal("0", at.Claim("appidacr"));
        Assert.Equal("User.Read Directory.Read.All", at.Claim("scp"));
        Assert.Equal("pwd", at.Payload.GetProperty("amr")[0].GetString());
        Assert.Equal("Adele Vance", at.Claim("name"));
        Assert.Equal(DemoDirectory.Adele, at.Claim("unique_name"));
        Assert.False(at.Has("azp"));
    }

    [Fact]
    public async Task V1_web_api_token_carries_roles_and_security_groups_only_for_that_resource()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, DemoDirectory.WebApiAppIdUri);
        var at = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);

        Assert.Equal(DemoDirectory.WebApiAppIdUri, at.Claim("aud"));
        Assert.Equal("user_impersonation", at.Claim("scp"));
        Assert.Equal("Gatehouse.Reader", at.Payload.GetProperty("roles")[0].GetString());
        var groups = at.Payload.GetProperty("groups").EnumerateArray().Select(g => g.GetString()).ToHashSet();
        Assert.Equal([DemoDirectory.SalesGroupId, DemoDirectory.SalesWestGroupId], groups.Order());
    }

    [Fact]
    public async Task V1_resource_by_app_id_is_echoed_as_audience()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, DemoDirectory.WebApiAppId);
        var at = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);

        Assert.Equal(DemoDirectory.WebApiAppId, at.Claim("aud"));
        Assert.Equal(DemoDirectory.WebApiAppId, reply.Json.GetProperty("resource").GetString());
    }

    [Fact]
    public async Task Over_200_groups_gives_overage_claims_pointing_at_get_member_objects()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Megan, DemoDirectory.WebApiAppIdUri);
        var at = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);

        Assert.False(at.Has("groups"));
        Assert.Equal("src1", at.Payload.GetProperty("_claim_names").GetProperty("groups").GetString());
        Assert.Equal(
            $"{fixture.Emulator.BaseUrl}aadgraph/{DemoDirectory.TenantId}/users/{DemoDirectory.MeganId}/getMemberObjects",
            at.Payload.GetProperty("_claim_sources").GetProperty("src1").GetProperty("endpoint").GetString());
    }

    [Fact]
    public async Task V1_common_infers_the_tenant_from_the_upn_domain()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com", tenant: "common");

        Assert.Equal(200, (int)reply.Status);
        Assert.Equal(DemoDirectory.TenantId, JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!).Claim("tid"));
    }

    [Fact]
    public async Task A_federated_user_with_cloud_password_validation_signs_in()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.FederatedSyncedUser, "https://graph.microsoft.com");

        Assert.Equal(200, (int)reply.Status);
    }

    [Fact]
    public async Task A_confidential_client_with_its_secret_gets_appidacr_1()
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com", DemoDirectory.ConfidentialAppId,
            extra: ("client_secret", DemoDirectory.ConfidentialSecret));

        Assert.Equal(200, (int)reply.Status);
        Assert.Equal("1", JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!).Claim("appidacr"));
    }

    [Fact]
    public async Task The_same_login_reuses_the_signed_token()
    {
        var first = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");
        var second = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");

        Assert.Equal(first.Json.GetProperty("access_token").GetString(), second.Json.GetProperty("access_token").GetString());
    }
}
