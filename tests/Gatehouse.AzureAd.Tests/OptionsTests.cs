using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Connections;

namespace Gatehouse.AzureAd.Tests;

public sealed class OptionsTests : WaadTestBase
{
    private IReadOnlyList<string> Validate(JsonNode options) => Strategy.ValidateOptions(JsonSerializer.SerializeToElement(options));

    [Fact]
    public void Problems_are_structured_by_option_and_worded_as_before_for_the_management_api()
    {
        var options = JsonSerializer.SerializeToElement(With(BriefPayload(), ("client_id", null), ("colour", "blue"), ("ext_groups", "yes")));

        var problems = Strategy.Validate(options);

        Assert.Contains(new OptionProblem("colour", "is not a known waad option"), problems);
        Assert.Contains(new OptionProblem("client_id", "is required"), problems);
        Assert.Contains(problems, p => p.Option == "ext_groups");
        Assert.Equal(problems.Select(p => p.ToString()), Strategy.ValidateOptions(options));
        Assert.Contains("options.client_id is required", Strategy.ValidateOptions(options));
    }

    [Fact]
    public void The_brief_payload_is_valid_and_means_v2_with_the_web_api_as_resource()
    {
        Assert.Empty(Validate(BriefPayload()));
        var parsed = WaadOptionsParser.Parse(JsonSerializer.SerializeToElement(BriefPayload()), Defaults).Options!;
        Assert.Equal(WaadIdentityApi.V2, parsed.IdentityApi);
        Assert.Equal(StubAzure.TenantDomain, parsed.TenantPath);
        Assert.Equal(StubAzure.AppId, parsed.AppId);
        Assert.Equal("any_value", parsed.ClientSecretProtected);
        Assert.Equal(WaadUserIdAttribute.Sub, parsed.UserIdAttribute);
        Assert.Equal(new Uri(StubAzure.Authority), parsed.AuthorityUrl); // from the server defaults
    }

    [Fact]
    public void A_real_world_auth0_options_object_is_valid()
    {
        var options = JsonNode.Parse("""
            {"domain":"acme.com","tenant_domain":"acme.com","client_id":"c8b7a6d5-1234-4abc-9def-001122334455","use_wsfed":false,
             "ext_groups":true,"ext_profile":true,"identity_api":"microsoft-identity-platform-v2.0","basic_profile":false,
             "waad_protocol":"openid-connect","domain_aliases":["acme.com"],"api_enable_users":false,"ext_nested_groups":false,
             "useCommonEndpoint":false,"max_groups_to_retrieve":"500","should_trust_email_verified_connection":"always_set_emails_as_verified",
             "app_domain":"acme.auth0.com","scope":["Group.Read.All"],"icon_url":"https://acme.com/i.png","granted":true,
             "thumbprints":["a1b2c3"],"upstream_params":{"prompt":{"value":"login"}},"non_persistent_attrs":["ethnicity"],
             "set_user_root_attributes":"on_first_login","userid_attribute":"oid","ext_admin":false,"ext_telephoneNumber":true,
             "federated_connections_access_tokens":null,"strategy_version":2,"tenantId":null,
             "gatehouse_authority_url":"https://login.microsoftonline.us","gatehouse_graph_url":"https://graph.microsoft.us/",
             "gatehouse_aad_graph_url":"https://graph.microsoftazure.us/aad","gatehouse_timeout_ms":5000,"gatehouse_graph_via_refresh_token":true}
            """)!;
        Assert.Empty(Validate(options));
        var parsed = WaadOptionsParser.Parse(JsonSerializer.SerializeToElement(options), Defaults).Options!;
        Assert.Equal(500, parsed.MaxGroupsToRetrieve);
        Assert.Equal(new Uri("https://login.microsoftonline.us/"), parsed.AuthorityUrl);
        Assert.Equal(new Uri("https://graph.microsoftazure.us/aad/"), parsed.AadGraphUrl);
        Assert.Equal(TimeSpan.FromSeconds(5), parsed.TokenTimeout);
        Assert.Equal(RootAttributesPolicy.OnFirstLogin, parsed.SetUserRootAttributes);
        Assert.True(parsed.AlwaysTrustEmailVerified && parsed.ExtGroups && parsed.ExtProfile && parsed.GraphViaRefreshToken);
    }

    [Theory]
    [InlineData("identity_api", "\"v3\"", "options.identity_api must be one of microsoft-identity-platform-v2.0, azure-active-directory-v1.0")]
    [InlineData("userid_attribute", "\"email\"", "options.userid_attribute must be one of sub, oid")]
    [InlineData("max_groups_to_retrieve", "250", "options.max_groups_to_retrieve must be a string")]
    [InlineData("max_groups_to_retrieve", "\"25x\"", "options.max_groups_to_retrieve must contain only digits")]
    [InlineData("max_groups_to_retrieve", "\"0\"", "options.max_groups_to_retrieve must be a number of groups")]
    [InlineData("client_id", "\"has space\"", "options.client_id must contain only")]
    [InlineData("client_id", "42", "options.client_id must be a string")]
    [InlineData("tenant_domain", "\"not a domain!\"", "options.tenant_domain must be a domain name")]
    [InlineData("tenantId", "\"contoso\"", "options.tenantId must be a GUID")]
    [InlineData("ext_groups", "\"yes\"", "options.ext_groups must be a boolean")]
    [InlineData("ext_city", "1", "options.ext_city must be a boolean")]
    [InlineData("ext_is_suspended", "null", null)]
    [InlineData("should_trust_email_verified_connection", "\"sometimes\"", "options.should_trust_email_verified_connection must be one of")]
    [InlineData("set_user_root_attributes", "\"always\"", "options.set_user_root_attributes must be one of")]
    [InlineData("waad_protocol", "\"saml\"", "options.waad_protocol must be one of")]
    [InlineData("domain_aliases", "\"acme.com\"", "options.domain_aliases must be an array of strings")]
    [InlineData("scope", "[\"two words\"]", "options.scope items must be a scope without spaces")]
    [InlineData("thumbprints", "[\"xyz\"]", "options.thumbprints items must be hexadecimal")]
    [InlineData("icon_url", "\"http://acme.com/i.png\"", "options.icon_url must be an absolute https URL")]
    [InlineData("upstream_params", "{\"prompt\":\"login\"}", "options.upstream_params entry 'prompt' must be")]
    [InlineData("upstream_params", "[]", "options.upstream_params must be an object or null")]
    [InlineData("non_persistent_attrs", "[1]", "options.non_persistent_attrs must be an array of strings")]
    [InlineData("gatehouse_authority_url", "\"ftp://x\"", "options.gatehouse_authority_url must be an absolute http(s) URL")]
    [InlineData("gatehouse_timeout_ms", "5", "options.gatehouse_timeout_ms must be an integer from 100 to 120000")]
    [InlineData("gatehouse_graph_via_refresh_token", "\"true\"", "options.gatehouse_graph_via_refresh_token must be a boolean")]
    [InlineData("strategy_version", "\"2\"", "options.strategy_version must be an integer")]
    [InlineData("whatever", "1", "options.whatever is not a known waad option")]
    public void Each_invalid_option_is_named(string name, string json, string? expected)
    {
        var errors = Validate(With(BriefPayload(), (name, JsonNode.Parse(json))));
        if (expected is null)
        {
            Assert.Empty(errors);
        }
        else
        {
            Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Several_problems_are_all_reported()
    {
        var errors = Validate(With(BriefPayload(), ("identity_api", "x"), ("ext_profile", 1), ("bogus", true)));
        Assert.Equal(3, errors.Count);
    }

    [Fact]
    public void Cross_option_rules_are_named()
    {
        Assert.Contains("options.client_id is required", Validate(With(BriefPayload(), ("client_id", null))));
        Assert.Contains(Validate(With(BriefPayload(), ("tenant_domain", null))), e => e.StartsWith("options.tenant_domain is required", StringComparison.Ordinal));
        Assert.Contains(
            Validate(With(BriefPayload(), ("identity_api", WaadOptionsParser.IdentityApiV1), ("app_id", null))),
            e => e.StartsWith("options.app_id is required when options.identity_api is azure-active-directory-v1.0", StringComparison.Ordinal));
        Assert.Contains(
            "options.userid_attribute must be sub when options.useCommonEndpoint is true",
            Validate(With(BriefPayload(), ("useCommonEndpoint", true), ("userid_attribute", "oid"))));
        Assert.Contains(
            "options.gatehouse_allowed_tenants applies only when options.useCommonEndpoint is true (a connection to one tenant lets in that tenant only)",
            Validate(With(BriefPayload(), ("gatehouse_allowed_tenants", new JsonArray("fabrikam.com")))));
        Assert.Contains(
            "options.tenantId does not match options.tenant_domain",
            Validate(With(BriefPayload(), ("tenant_domain", Guid.NewGuid().ToString()), ("tenantId", Guid.NewGuid().ToString()))));
        Assert.Equal(["options must be an object"], Validate(JsonValue.Create("x")!));
    }

    [Fact]
    public void Tenant_comes_from_tenantId_then_tenant_domain_then_domain_and_common_uses_organizations_on_v2()
    {
        var tid = Guid.NewGuid();
        Assert.Equal(tid.ToString(), Parse(With(BriefPayload(), ("tenantId", tid.ToString()))).TenantPath);
        Assert.Equal(tid, Parse(With(BriefPayload(), ("tenantId", tid.ToString()))).PinnedTenantId);
        Assert.Equal("acme.com", Parse(With(BriefPayload(), ("tenant_domain", null), ("domain", "acme.com"))).TenantPath);
        Assert.Equal("organizations", Parse(With(BriefPayload(), ("tenant_domain", null), ("waad_common_endpoint", true))).TenantPath);
        Assert.Equal("common", Parse(With(BriefPayload(), ("useCommonEndpoint", true), ("identity_api", WaadOptionsParser.IdentityApiV1))).TenantPath);
    }

    [Fact]
    public void Client_secret_is_the_secret_option()
    {
        Assert.Equal(["client_secret"], Strategy.SecretOptions);
        Assert.Equal("waad", Strategy.Strategy);
    }

    [Fact]
    public async Task Invalid_stored_options_make_a_connection_that_refuses_as_misconfigured_without_calling_azure()
    {
        var connection = Create(With(BriefPayload(), ("identity_api", "v9")));
        var denied = AssertDenied(await Login(connection), 403, "access_denied");
        Assert.Equal(WaadRefusals.MisconfiguredDescription, denied.Description);
        Assert.Contains("options.identity_api", denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Azure.Requests);
    }

    [Theory]
    [InlineData("gatehouse_authority_url", "https://login.microsoftonline.com/")]
    [InlineData("gatehouse_authority_url", "https://login.microsoftonline.us")]
    [InlineData("gatehouse_authority_url", "https://login.partner.microsoftonline.cn/")]
    [InlineData("gatehouse_authority_url", "https://login.chinacloudapi.cn/")]
    [InlineData("gatehouse_authority_url", "https://LOGIN.microsoftonline.com/")]
    [InlineData("gatehouse_graph_url", "https://graph.microsoft.com/")]
    [InlineData("gatehouse_graph_url", "https://graph.microsoft.us/")]
    [InlineData("gatehouse_graph_url", "https://dod-graph.microsoft.us/")]
    [InlineData("gatehouse_graph_url", "https://microsoftgraph.chinacloudapi.cn/")]
    [InlineData("gatehouse_aad_graph_url", "https://graph.windows.net/")]
    [InlineData("gatehouse_aad_graph_url", "https://graph.chinacloudapi.cn/")]
    [InlineData("gatehouse_authority_url", StubAzure.Authority)] // the server's own AzureAd:AuthorityUrl
    [InlineData("gatehouse_graph_url", StubAzure.Authority)]     // operator hosts serve every kind
    public void Microsoft_clouds_and_the_servers_own_hosts_are_allowed(string option, string url) =>
        Assert.Empty(Validate(With(BriefPayload(), (option, url))));

    [Theory]
    [InlineData("gatehouse_authority_url", "http://attacker.example/")]
    [InlineData("gatehouse_authority_url", "https://attacker.example/")]
    [InlineData("gatehouse_authority_url", "https://login.microsoftonline.com.attacker.example/")]
    [InlineData("gatehouse_authority_url", "https://login.microsoftonline.com:8443/")]
    [InlineData("gatehouse_authority_url", "http://login.microsoftonline.com/")]
    [InlineData("gatehouse_authority_url", "https://graph.microsoft.com/")] // a Graph host is no login host
    [InlineData("gatehouse_authority_url", "https://127.0.0.1:9443/")]
    [InlineData("gatehouse_authority_url", "http://127.0.0.1/")]
    [InlineData("gatehouse_graph_url", "https://login.microsoftonline.com/")]
    [InlineData("gatehouse_graph_url", "https://attacker.example/")]
    [InlineData("gatehouse_aad_graph_url", "https://attacker.example/")]
    public void Any_other_host_or_plain_http_is_refused_naming_the_option(string option, string url)
    {
        var error = Assert.Single(Validate(With(BriefPayload(), (option, url))));
        Assert.StartsWith($"options.{option} must be ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_operator_allows_more_hosts_and_plain_http_only_to_loopback_with_the_development_setting()
    {
        var operatorDefaults = Defaults with { AllowedHosts = ["proxy.contoso.example", "127.0.0.1:9443"] };
        IReadOnlyList<string> Check(WaadServerDefaults d, string url) =>
            WaadOptionsParser.Parse(JsonSerializer.SerializeToElement(With(BriefPayload(), ("gatehouse_authority_url", url))), d).Errors;
        Assert.Empty(Check(operatorDefaults, "https://proxy.contoso.example/"));
        Assert.Empty(Check(operatorDefaults, "https://127.0.0.1:9443/"));
        Assert.NotEmpty(Check(operatorDefaults, "https://proxy.contoso.example:444/"));
        Assert.NotEmpty(Check(operatorDefaults, "https://127.0.0.1:9444/"));
        Assert.NotEmpty(Check(operatorDefaults, "http://127.0.0.1:9443/"));
        Assert.Empty(Check(operatorDefaults with { AllowHttpLoopback = true }, "http://127.0.0.1:9443/"));
        Assert.NotEmpty(Check(operatorDefaults with { AllowHttpLoopback = true, AllowedHosts = ["proxy.contoso.example:80"] }, "http://proxy.contoso.example/"));
    }

    [Fact]
    public void With_the_common_endpoint_the_named_tenant_and_the_allowed_tenants_are_the_allow_list()
    {
        var fabrikam = Guid.NewGuid();
        var parsed = Parse(With(BriefPayload(), ("useCommonEndpoint", true),
            ("gatehouse_allowed_tenants", new JsonArray(fabrikam.ToString(), "Fabrikam.COM"))));
        Assert.True(parsed.UseCommonEndpoint);
        Assert.Equal([fabrikam], parsed.AllowedTenants.TenantIds);
        Assert.Equal([StubAzure.TenantDomain, "fabrikam.com"], parsed.AllowedTenants.Domains.Order(StringComparer.Ordinal));

        var anyTenant = Parse(With(BriefPayload(), ("tenant_domain", null), ("useCommonEndpoint", true)));
        Assert.True(anyTenant.AllowedTenants.IsEmpty);
        Assert.Contains(
            Validate(With(BriefPayload(), ("useCommonEndpoint", true), ("gatehouse_allowed_tenants", new JsonArray("not a tenant!")))),
            e => e.StartsWith("options.gatehouse_allowed_tenants items must be tenant ids (GUIDs) or domain names", StringComparison.Ordinal));
    }

    [Fact]
    public void Emails_are_never_marked_verified_by_a_common_endpoint_connection_that_lets_any_tenant_in()
    {
        var anyTenant = With(BriefPayload(), ("tenant_domain", null), ("useCommonEndpoint", true),
            ("should_trust_email_verified_connection", "always_set_emails_as_verified"));
        var error = Assert.Single(Validate(anyTenant));
        Assert.StartsWith("options.should_trust_email_verified_connection must be never_set_emails_as_verified when options.useCommonEndpoint", error, StringComparison.Ordinal);
        Assert.Empty(Validate(With(anyTenant, ("gatehouse_allowed_tenants", new JsonArray(Guid.NewGuid().ToString())))));
        Assert.Empty(Validate(With(anyTenant, ("tenant_domain", StubAzure.TenantDomain))));
    }

    private static WaadOptions Parse(JsonObject options) => WaadOptionsParser.Parse(JsonSerializer.SerializeToElement(options), Defaults).Options!;
}
