using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests;

public sealed class GraphTests : WaadTestBase
{
    private static JsonObject GraphApp(string appId = "https://graph.microsoft.com") =>
        With(BriefPayload(), ("client_secret", null), ("app_id", appId), ("ext_groups", true));

    private static JsonObject MsGroup(int i) => new()
    {
        ["@odata.type"] = "#microsoft.graph.group",
        ["id"] = $"g-{i:D4}",
        ["displayName"] = $"Group {i}",
    };

    private static JsonObject AadGroup(int i) => new()
    {
        ["odata.type"] = "Microsoft.DirectoryServices.Group",
        ["objectType"] = "Group",
        ["objectId"] = $"g-{i:D4}",
        ["displayName"] = $"Group {i}",
    };

    /// <summary>Microsoft Graph pages of 100 with absolute nextLinks, plus a directory role that is not a group.</summary>
    private void ServeMsGraphGroups(int count, string path = "/v1.0/me/memberOf")
    {
        Azure.OnGraph = r =>
        {
            if (r.Url.AbsolutePath != path)
            {
                return StubAzure.Json(404, new JsonObject { ["error"] = new JsonObject { ["code"] = "Request_ResourceNotFound" } });
            }

            var skip = r.Url.Query.Contains("skip=", StringComparison.Ordinal) ? int.Parse(r.Url.Query.Split("skip=")[1]) : 0;
            var page = new JsonArray([.. Enumerable.Range(skip, Math.Max(0, Math.Min(100, count - skip))).Select(i => (JsonNode?)MsGroup(i))]);
            if (skip == 0)
            {
                page.Add(new JsonObject { ["@odata.type"] = "#microsoft.graph.directoryRole", ["id"] = "role-1", ["displayName"] = "Global Reader" });
            }

            var body = new JsonObject { ["value"] = page };
            if (skip + 100 < count)
            {
                body["@odata.nextLink"] = $"{StubAzure.GraphBase}v1.0/me/memberOf?$skip={skip + 100}".Replace("memberOf", path.Split('/').Last(), StringComparison.Ordinal);
            }

            return StubAzure.Json(200, body);
        };
    }

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Fact]
    public async Task Microsoft_graph_groups_follow_absolute_next_links_and_keep_only_groups()
    {
        ServeMsGraphGroups(250);
        var user = AssertSuccess(await Login(Create(GraphApp())));

        var groupRequests = Azure.Requests.Where(r => r.Url.Host == "graph.test").ToList();
        Assert.Equal(3, groupRequests.Count);
        Assert.All(groupRequests, r => Assert.Equal("Bearer user-access-token", r.Headers["Authorization"]));
        Assert.Equal(250, Attr(user, "groups").GetArrayLength());
        Assert.Equal("Group 0", Strings(Attr(user, "groups"))[0]);
        Assert.Equal("g-0249", Strings(Attr(user, "group_ids"))[249]);
        Assert.DoesNotContain("Global Reader", Strings(Attr(user, "groups")));
        Assert.False(user.Attributes!.Value.TryGetProperty("groups_truncated", out _));
    }

    [Fact]
    public async Task Max_groups_to_retrieve_caps_the_list_and_stops_paging()
    {
        ServeMsGraphGroups(250);
        var user = AssertSuccess(await Login(Create(With(GraphApp(), ("max_groups_to_retrieve", "120")))));
        Assert.Equal(120, Attr(user, "groups").GetArrayLength());
        Assert.True(Attr(user, "groups_truncated").GetBoolean());
        Assert.Equal(2, Azure.Requests.Count(r => r.Url.Host == "graph.test"));
    }

    [Fact]
    public async Task Nested_groups_use_transitive_member_of()
    {
        ServeMsGraphGroups(3, "/v1.0/me/transitiveMemberOf");
        var user = AssertSuccess(await Login(Create(With(GraphApp("00000003-0000-0000-c000-000000000000"), ("ext_nested_groups", true)))));
        Assert.Equal(3, Attr(user, "groups").GetArrayLength());
    }

    [Fact]
    public async Task Azure_ad_graph_relative_next_links_are_resolved_against_the_tenant_with_the_api_version()
    {
        Azure.OnGraph = r =>
        {
            var first = r.Url.AbsolutePath == "/me/memberOf";
            var page = first ? Enumerable.Range(0, 100) : Enumerable.Range(100, 150);
            var body = new JsonObject { ["value"] = new JsonArray([.. page.Select(i => (JsonNode?)AadGroup(i))]) };
            if (first)
            {
                body["odata.nextLink"] = $"directoryObjects/$/Microsoft.DirectoryServices.User/{StubAzure.Oid}/memberOf?$skiptoken=X'4453'";
            }

            return StubAzure.Json(200, body);
        };
        var user = AssertSuccess(await Login(Create(GraphApp("https://graph.windows.net"))));

        var urls = Azure.Requests.Where(r => r.Url.Host == "aadgraph.test").Select(r => r.Url.OriginalString).ToList();
        Assert.Equal($"{StubAzure.AadGraphBase}me/memberOf?api-version=1.6", urls[0]);
        Assert.Equal(
            $"{StubAzure.AadGraphBase}{StubAzure.TenantId}/directoryObjects/$/Microsoft.DirectoryServices.User/{StubAzure.Oid}/memberOf?$skiptoken=X'4453'&api-version=1.6",
            urls[1]);
        Assert.Equal(250, Attr(user, "group_ids").GetArrayLength());
    }

    [Fact]
    public async Task Nested_groups_over_azure_ad_graph_are_direct_only_and_say_so()
    {
        Azure.OnGraph = _ => StubAzure.Json(200, new JsonObject { ["value"] = new JsonArray(AadGroup(1)) });
        var user = AssertSuccess(await Login(Create(With(GraphApp("https://graph.windows.net/"), ("ext_nested_groups", true)))));
        Assert.Contains("direct memberships only", Attr(user, "groups_note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_api_app_id_logs_in_with_the_basic_profile_and_records_why_groups_are_absent()
    {
        var user = AssertSuccess(await Login(Create(With(BriefPayload(), ("client_secret", null), ("ext_groups", true), ("ext_profile", true)))));
        Assert.Contains("is a Web API, not a Graph API", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("is a Web API", Attr(user, "profile_unavailable_reason").GetString(), StringComparison.Ordinal);
        Assert.False(user.Attributes!.Value.TryGetProperty("groups", out _));
        Assert.DoesNotContain(Azure.Requests, r => r.Url.Host.Contains("graph", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Graph_via_refresh_token_redeems_the_multi_resource_refresh_token(bool v1)
    {
        ServeMsGraphGroups(2);
        var options = With(BriefPayload(), ("client_secret", null), ("ext_groups", true), ("gatehouse_graph_via_refresh_token", true));
        if (v1)
        {
            options["identity_api"] = WaadOptionsParser.IdentityApiV1;
        }

        var user = AssertSuccess(await Login(Create(options)));

        var refresh = Azure.TokenRequests.Last().Form;
        Assert.Equal("refresh_token", refresh["grant_type"]);
        Assert.Equal("refresh-token-1", refresh["refresh_token"]);
        Assert.False(refresh.ContainsKey("password"));
        if (v1)
        {
            Assert.Equal("https://graph.microsoft.com", refresh["resource"]);
        }
        else
        {
            Assert.Equal("https://graph.microsoft.com/.default", refresh["scope"]);
        }

        Assert.All(Azure.Requests.Where(r => r.Url.Host == "graph.test"), r => Assert.Equal("Bearer graph-access-token", r.Headers["Authorization"]));
        Assert.Equal(2, Attr(user, "groups").GetArrayLength());
        Assert.Equal($"enc[{Gatehouse.Core.Connections.UpstreamTokenPurposes.RefreshToken}]:refresh-token-2", user.Identities[0].RefreshTokenProtected);
    }

    [Fact]
    public async Task A_refused_refresh_redemption_keeps_the_login_and_records_the_reason()
    {
        Azure.OnToken = r => r.Form["grant_type"] == "refresh_token" ? StubAzure.Error(400, "invalid_grant", 65001, "consent_required") : null;
        var user = AssertSuccess(await Login(Create(With(BriefPayload(), ("client_secret", null), ("ext_groups", true), ("gatehouse_graph_via_refresh_token", true)))));
        Assert.Contains("aadsts=65001", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_graph_5xx_is_retried_once_then_succeeds()
    {
        var calls = 0;
        Azure.OnGraph = _ => ++calls == 1
            ? StubAzure.Text(503, "busy", TimeSpan.Zero)
            : StubAzure.Json(200, new JsonObject { ["value"] = new JsonArray(MsGroup(1)) });
        var user = AssertSuccess(await Login(Create(GraphApp())));
        Assert.Equal(2, calls);
        Assert.Equal(["Group 1"], Strings(Attr(user, "groups")));
    }

    [Fact]
    public async Task Graph_failures_never_fail_the_login()
    {
        Azure.OnGraph = _ => StubAzure.Json(500, new JsonObject { ["error"] = new JsonObject { ["code"] = "serviceNotAvailable" } });
        var user = AssertSuccess(await LoginAdvancingTime(Create(With(GraphApp(), ("ext_profile", true))), TimeSpan.FromMilliseconds(250)));
        Assert.Contains("http=500 code=serviceNotAvailable", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("http=500", Attr(user, "profile_unavailable_reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(4, Azure.Requests.Count(r => r.Url.Host == "graph.test")); // each GET tried twice, no more
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_budget_is_not_waited_for()
    {
        Azure.OnGraph = _ => StubAzure.Text(429, "slow down", TimeSpan.FromSeconds(60));
        var user = AssertSuccess(await Login(Create(GraphApp())));
        Assert.Contains("http=429", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
        Assert.Single(Azure.Requests, r => r.Url.Host == "graph.test");
    }

    [Fact]
    public async Task A_next_link_to_another_host_is_not_followed_with_the_users_token()
    {
        Azure.OnGraph = _ => StubAzure.Json(200, new JsonObject
        {
            ["value"] = new JsonArray(MsGroup(1)),
            ["@odata.nextLink"] = "https://evil.test/v1.0/me/memberOf?$skip=1",
        });
        var user = AssertSuccess(await Login(Create(GraphApp())));
        Assert.Contains("points away", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Azure.Requests, r => r.Url.Host == "evil.test");
    }

    [Fact]
    public async Task A_select_the_cloud_refuses_falls_back_to_the_default_profile()
    {
        Azure.OnGraph = r => r.Url.Query.Contains("select", StringComparison.Ordinal)
            ? StubAzure.Json(400, new JsonObject { ["error"] = new JsonObject { ["code"] = "Request_BadRequest" } })
            : StubAzure.Json(200, new JsonObject { ["id"] = StubAzure.Oid, ["jobTitle"] = "Retail Manager" });
        var user = AssertSuccess(await Login(Create(With(BriefPayload(), ("client_secret", null), ("app_id", "https://graph.microsoft.com"), ("ext_profile", true)))));
        Assert.Equal("Retail Manager", Attr(user, "job_title").GetString());
        Assert.Equal($"{StubAzure.GraphBase}v1.0/me", Azure.Requests.Last().Url.AbsoluteUri);
    }

    [Fact]
    public async Task Malformed_graph_json_is_recorded_not_fatal()
    {
        Azure.OnGraph = _ => StubAzure.Text(200, "{\"value\": [");
        var user = AssertSuccess(await Login(Create(GraphApp())));
        Assert.Contains("malformed JSON", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://graph.microsoft.com")]
    [InlineData("https://graph.windows.net")]
    public async Task Extended_profile_maps_graph_fields_and_honours_ext_flags_and_non_persistent_attrs(string appId)
    {
        var aad = appId.Contains("windows", StringComparison.Ordinal);
        Azure.OnGraph = r => StubAzure.Json(200, aad
            ? new JsonObject
            {
                ["objectId"] = StubAzure.Oid, ["jobTitle"] = "Retail Manager", ["department"] = "Sales", ["city"] = "Redmond",
                ["telephoneNumber"] = "+1 425 555 0109", ["physicalDeliveryOfficeName"] = "18/2111", ["mail"] = "AdeleV@contoso.com",
            }
            : new JsonObject
            {
                ["id"] = StubAzure.Oid, ["jobTitle"] = "Retail Manager", ["department"] = "Sales", ["city"] = "Redmond",
                ["businessPhones"] = new JsonArray("+1 425 555 0109"), ["officeLocation"] = "18/2111", ["mail"] = "AdeleV@contoso.com",
            });
        var options = With(BriefPayload(), ("client_secret", null), ("app_id", appId), ("ext_profile", true),
            ("ext_department", false), ("non_persistent_attrs", new JsonArray("city")));
        var user = AssertSuccess(await Login(Create(options)));

        Assert.Equal("Retail Manager", Attr(user, "job_title").GetString());
        Assert.Equal("18/2111", Attr(user, "physical_delivery_office_name").GetString());
        Assert.Contains("555 0109", Attr(user, "phone").GetRawText(), StringComparison.Ordinal);
        Assert.False(user.Attributes!.Value.TryGetProperty("department", out _));
        Assert.False(user.Attributes!.Value.TryGetProperty("city", out _));
        Assert.Equal("AdeleV@contoso.com", user.Email);
        var meUrl = Azure.Requests.Single(r => r.Url.Host.Contains("graph", StringComparison.Ordinal)).Url.AbsoluteUri;
        Assert.StartsWith(aad ? $"{StubAzure.AadGraphBase}me?api-version=1.6" : $"{StubAzure.GraphBase}v1.0/me?$select=", meUrl, StringComparison.Ordinal);
    }
}
