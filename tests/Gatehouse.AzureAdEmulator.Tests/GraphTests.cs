using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>Microsoft Graph on the emulator host (§8): audience and scope checks, shapes, absolute paging.</summary>
public sealed class GraphTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private StsClient Sts => fixture.Sts;

    private async Task<string> GraphTokenAsync(string user, string clientId = DemoDirectory.NativeAppId, params (string, string)[] extra)
    {
        var reply = await Sts.PasswordV2Async(user, "https://graph.microsoft.com/User.Read", clientId, extra: extra);
        return reply.Json.GetProperty("access_token").GetString()!;
    }

    [Fact]
    public async Task Me_returns_the_default_properties()
    {
        var me = await Sts.GetAsync("v1.0/me", await GraphTokenAsync(DemoDirectory.Adele));

        Assert.Equal(200, (int)me.Status);
        Assert.Equal(
            ["@odata.context", "businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"],
            me.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal($"{fixture.Emulator.BaseUrl}v1.0/$metadata#users/$entity", me.Json.GetProperty("@odata.context").GetString());
        Assert.Equal(DemoDirectory.AdeleId, me.Json.GetProperty("id").GetString());
        Assert.Equal("+1 425 555 0109", me.Json.GetProperty("businessPhones")[0].GetString());
    }

    [Fact]
    public async Task Me_honours_select_and_refuses_unknown_properties()
    {
        var token = await GraphTokenAsync(DemoDirectory.Adele);

        var selected = await Sts.GetAsync("v1.0/me?$select=department,city,country", token);
        var unknown = await Sts.GetAsync("v1.0/me?$select=shoeSize", token);

        Assert.Equal(["@odata.context", "department", "city", "country"], selected.Json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("Retail", selected.Json.GetProperty("department").GetString());
        Assert.EndsWith("#users(department,city,country)/$entity", selected.Json.GetProperty("@odata.context").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, (int)unknown.Status);
        Assert.Equal("Request_BadRequest", unknown.Json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task MemberOf_is_direct_and_transitiveMemberOf_follows_nesting()
    {
        var token = await GraphTokenAsync(DemoDirectory.Adele);

        var direct = await Sts.GetAsync("v1.0/me/memberOf", token);
        var transitive = await Sts.GetAsync("v1.0/me/transitiveMemberOf", token);

        var directIds = direct.Json.GetProperty("value").EnumerateArray().Select(g => g.GetProperty("id").GetString()).Order();
        Assert.Equal([DemoDirectory.SalesWestGroupId, DemoDirectory.AllCompanyGroupId], directIds.OrderBy(x => x));
        Assert.Equal(3, transitive.Json.GetProperty("value").GetArrayLength());
        var group = direct.Json.GetProperty("value")[0];
        Assert.Equal("#microsoft.graph.group", group.GetProperty("@odata.type").GetString());
        Assert.Equal(JsonValueKind.True, transitive.Json.GetProperty("value").EnumerateArray()
            .First(g => g.GetProperty("id").GetString() == DemoDirectory.SalesGroupId).GetProperty("securityEnabled").ValueKind);
    }

    [Fact]
    public async Task MemberOf_pages_with_an_absolute_next_link_until_done()
    {
        var token = await GraphTokenAsync(DemoDirectory.Megan);
        var ids = new List<string>();
        string? next = "v1.0/me/memberOf?$top=120&$select=id,displayName";
        var pages = 0;
        while (next is not null)
        {
            var page = await Sts.GetAsync(next, token);
            Assert.Equal(200, (int)page.Status);
            ids.AddRange(page.Json.GetProperty("value").EnumerateArray().Select(g => g.GetProperty("id").GetString()!));
            Assert.Equal(["@odata.type", "id", "displayName"], page.Json.GetProperty("value")[0].EnumerateObject().Select(p => p.Name));
            next = page.Json.TryGetProperty("@odata.nextLink", out var link) ? link.GetString() : null;
            if (next is not null)
            {
                Assert.StartsWith(fixture.Emulator.BaseUrl + "v1.0/me/memberOf?", next, StringComparison.Ordinal);
                Assert.Contains("$skiptoken=", next, StringComparison.Ordinal);
            }
            pages++;
        }

        Assert.Equal(3, pages);
        Assert.Equal(DemoDirectory.MeganGroupCount + 1, ids.Distinct().Count());
    }

    [Fact]
    public async Task GetMemberGroups_returns_transitive_ids_and_honours_securityEnabledOnly()
    {
        var token = await GraphTokenAsync(DemoDirectory.Megan);

        var security = await Sts.PostJsonAsync("v1.0/me/getMemberGroups", "{\"securityEnabledOnly\":true}", token);
        var all = await Sts.PostJsonAsync("v1.0/me/getMemberGroups", "{\"securityEnabledOnly\":false}", token);
        var bad = await Sts.PostJsonAsync("v1.0/me/getMemberGroups", "not json", token);

        Assert.EndsWith("$metadata#Collection(Edm.String)", security.Json.GetProperty("@odata.context").GetString(), StringComparison.Ordinal);
        Assert.Equal(DemoDirectory.MeganGroupCount, security.Json.GetProperty("value").GetArrayLength());
        Assert.Equal(DemoDirectory.MeganGroupCount + 1, all.Json.GetProperty("value").GetArrayLength());
        Assert.Equal(400, (int)bad.Status);
    }

    [Fact]
    public async Task GetMemberObjects_and_getByIds_resolve_groups()
    {
        var token = await GraphTokenAsync(DemoDirectory.Adele);

        var objects = await Sts.PostJsonAsync($"v1.0/users/{DemoDirectory.AdeleId}/getMemberObjects", "{\"securityEnabledOnly\":true}", token);
        var ids = objects.Json.GetProperty("value").EnumerateArray().Select(v => v.GetString()!).ToList();
        var byIds = await Sts.PostJsonAsync("v1.0/directoryObjects/getByIds",
            JsonSerializer.Serialize(new { ids, types = new[] { "group" } }), token);

        Assert.Equal(2, ids.Count);
        Assert.Equal(["Sales", "Sales West"], byIds.Json.GetProperty("value").EnumerateArray().Select(g => g.GetProperty("displayName").GetString()).Order());
    }

    [Fact]
    public async Task A_web_api_token_is_refused_by_both_graph_apis()
    {
        var login = await Sts.PasswordV1Async(DemoDirectory.Adele, DemoDirectory.WebApiAppIdUri);
        var token = login.Json.GetProperty("access_token").GetString()!;

        var graph = await Sts.GetAsync("v1.0/me/memberOf", token);
        var aadGraph = await Sts.GetAsync("aadgraph/me/memberOf?api-version=1.6", token);

        Assert.Equal(401, (int)graph.Status);
        Assert.Equal("InvalidAuthenticationToken", graph.Json.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(401, (int)aadGraph.Status);
        Assert.Equal("Authentication_MissingOrMalformed", aadGraph.Json.GetProperty("odata.error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_missing_or_forged_token_is_refused()
    {
        var token = await GraphTokenAsync(DemoDirectory.Adele);
        var parts = token.Split('.');
        var forged = $"{parts[0]}.{parts[1]}.{parts[2][..^4]}AAAA";

        Assert.Equal(401, (int)(await Sts.GetAsync("v1.0/me")).Status);
        Assert.Equal(401, (int)(await Sts.GetAsync("v1.0/me", forged)).Status);
        Assert.Equal(401, (int)(await Sts.GetAsync("v1.0/me", "not-a-jwt")).Status);
    }

    [Fact]
    public async Task Scopes_are_enforced_from_the_consented_permissions()
    {
        var token = await GraphTokenAsync(DemoDirectory.Adele, DemoDirectory.ConfidentialAppId, ("client_secret", DemoDirectory.ConfidentialSecret));
        Assert.Equal("User.Read GroupMember.Read.All", JwtParts.Decode(token).Claim("scp"));

        var groups = await Sts.PostJsonAsync("v1.0/me/getMemberGroups", "{\"securityEnabledOnly\":true}", token);
        var byIds = await Sts.PostJsonAsync("v1.0/directoryObjects/getByIds", "{\"ids\":[]}", token);

        Assert.Equal(200, (int)groups.Status);
        Assert.Equal(403, (int)byIds.Status);
        Assert.Equal("Authorization_RequestDenied", byIds.Json.GetProperty("error").GetProperty("code").GetString());
    }
}
