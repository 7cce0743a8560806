using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>OpenID configuration, JWKS, realm and instance discovery (§6, §7).</summary>
public sealed class DiscoveryTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private StsClient Sts => fixture.Sts;
    private string Base => fixture.Emulator.BaseUrl;

    [Fact]
    public async Task V1_configuration_has_the_sts_windows_net_issuer_for_a_domain()
    {
        var reply = await Sts.GetAsync($"{DemoDirectory.VerifiedDomain}/.well-known/openid-configuration");

        Assert.Equal($"https://sts.windows.net/{DemoDirectory.TenantId}/", reply.Json.GetProperty("issuer").GetString());
        Assert.Equal($"{Base}{DemoDirectory.TenantId}/oauth2/token", reply.Json.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{Base}common/discovery/keys", reply.Json.GetProperty("jwks_uri").GetString());
        Assert.Equal("max-age=86400, private", reply.Header("Cache-Control"));
        Assert.Equal("*", reply.Header("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task V2_configuration_uses_the_emulator_base_url_in_the_issuer()
    {
        var reply = await Sts.GetAsync($"{DemoDirectory.TenantDomain}/v2.0/.well-known/openid-configuration");

        Assert.Equal($"{Base}{DemoDirectory.TenantId}/v2.0", reply.Json.GetProperty("issuer").GetString());
        Assert.Equal($"{Base}{DemoDirectory.TenantId}/oauth2/v2.0/token", reply.Json.GetProperty("token_endpoint").GetString());
        Assert.Equal($"{Base}{DemoDirectory.TenantId}/discovery/v2.0/keys", reply.Json.GetProperty("jwks_uri").GetString());
    }

    [Theory]
    [InlineData("common")]
    [InlineData("organizations")]
    public async Task Shared_tenants_have_a_templated_issuer(string tenant)
    {
        var reply = await Sts.GetAsync($"{tenant}/v2.0/.well-known/openid-configuration");

        Assert.Equal($"{Base}{{tenantid}}/v2.0", reply.Json.GetProperty("issuer").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reply.Json.GetProperty("tenant_region_scope").ValueKind);
    }

    [Fact]
    public async Task An_unknown_tenant_is_invalid_tenant()
    {
        var reply = await Sts.GetAsync("nowhere.example/v2.0/.well-known/openid-configuration");

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal("invalid_tenant", reply.Error);
        Assert.Equal(90002, reply.ErrorCode);
    }

    [Theory]
    [InlineData("common/discovery/keys", null)]
    [InlineData(DemoDirectory.TenantId + "/discovery/keys", null)]
    [InlineData(DemoDirectory.TenantDomain + "/discovery/v2.0/keys", DemoDirectory.TenantId)]
    [InlineData("common/discovery/v2.0/keys", "{tenantid}")]
    public async Task Keys_have_kid_equal_to_x5t_and_an_issuer_on_v2(string path, string? issuerTenant)
    {
        var reply = await Sts.GetAsync(path);
        var key = reply.Json.GetProperty("keys")[0];

        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal(key.GetProperty("kid").GetString(), key.GetProperty("x5t").GetString());
        Assert.Equal("AQAB", key.GetProperty("e").GetString());
        Assert.Single(key.GetProperty("x5c").EnumerateArray());
        if (issuerTenant is null) Assert.False(key.TryGetProperty("issuer", out _));
        else Assert.Equal($"{Base}{issuerTenant}/v2.0", key.GetProperty("issuer").GetString());
    }

    [Theory]
    [InlineData(DemoDirectory.Adele, "Managed")]
    [InlineData("anyone@contoso.onmicrosoft.com", "Managed")]
    [InlineData(DemoDirectory.FederatedUser, "Federated")]
    [InlineData("someone@fabrikam.example", "Unknown")]
    public async Task User_realm_says_managed_federated_or_unknown(string user, string accountType)
    {
        var reply = await Sts.GetAsync($"common/userrealm/{Uri.EscapeDataString(user)}?api-version=1.0");

        Assert.Equal("1.0", reply.Json.GetProperty("ver").GetString());
        Assert.Equal(accountType, reply.Json.GetProperty("account_type").GetString());
        Assert.Equal("microsoftonline.com", reply.Json.GetProperty("cloud_instance_name").GetString());
        if (accountType == "Federated")
            Assert.StartsWith(Base, reply.Json.GetProperty("federation_active_auth_url").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Instance_discovery_names_the_emulator_host()
    {
        var authorize = Uri.EscapeDataString($"{Base}{DemoDirectory.TenantDomain}/oauth2/v2.0/authorize");
        var reply = await Sts.GetAsync($"common/discovery/instance?api-version=1.1&authorization_endpoint={authorize}");

        var host = new Uri(Base).Authority;
        Assert.Equal($"{Base}{DemoDirectory.TenantDomain}/v2.0/.well-known/openid-configuration", reply.Json.GetProperty("tenant_discovery_endpoint").GetString());
        Assert.Equal(host, reply.Json.GetProperty("metadata")[0].GetProperty("preferred_network").GetString());
    }
}
