using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>Azure AD Graph under {base}aadgraph/ (§9): api-version, shapes, relative paging, retirement switch.</summary>
public sealed class AadGraphTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private StsClient Sts => fixture.Sts;

    private async Task<string> TokenAsync(string user, string resource = "https://graph.windows.net") =>
        (await Sts.PasswordV1Async(user, resource)).Json.GetProperty("access_token").GetString()!;

    [Fact]
    public async Task Me_returns_the_directory_user_shape()
    {
        var token = await TokenAsync(DemoDirectory.Adele);

        var me = await Sts.GetAsync("aadgraph/me?api-version=1.6", token);
        var withTenant = await Sts.GetAsync($"aadgraph/{DemoDirectory.TenantDomain}/me?api-version=1.6", token);

        Assert.Equal(200, (int)me.Status);
        Assert.Equal("Microsoft.DirectoryServices.User", me.Json.GetProperty("odata.type").GetString());
        Assert.Equal(DemoDirectory.AdeleId, me.Json.GetProperty("objectId").GetString());
        Assert.Equal("18/2111", me.Json.GetProperty("physicalDeliveryOfficeName").GetString());
        Assert.Equal("+1 425 555 0109", me.Json.GetProperty("mobile").GetString());
        Assert.EndsWith("$metadata#directoryObjects/@Element", me.Json.GetProperty("odata.metadata").GetString(), StringComparison.Ordinal);
        Assert.Equal(200, (int)withTenant.Status);
    }

    [Fact]
    public async Task A_graph_guid_audience_is_accepted()
    {
        var token = await TokenAsync(DemoDirectory.Adele, "00000002-0000-0000-c000-000000000000");

        Assert.Equal(200, (int)(await Sts.GetAsync("aadgraph/me?api-version=1.6", token)).Status);
    }

    [Fact]
    public async Task Requests_without_api_version_are_refused()
    {
        var reply = await Sts.GetAsync("aadgraph/me", await TokenAsync(DemoDirectory.Adele));

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal("Request_BadRequest", reply.Json.GetProperty("odata.error").GetProperty("code").GetString());
        Assert.Equal("en", reply.Json.GetProperty("odata.error").GetProperty("message").GetProperty("lang").GetString());
    }

    [Fact]
    public async Task A_microsoft_graph_token_is_refused()
    {
        var token = (await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com")).Json.GetProperty("access_token").GetString()!;

        Assert.Equal(401, (int)(await Sts.GetAsync("aadgraph/me?api-version=1.6", token)).Status);
    }

    [Fact]
    public async Task MemberOf_pages_with_a_relative_next_link()
    {
        var token = await TokenAsync(DemoDirectory.Megan);
        var baseUrl = $"aadgraph/{DemoDirectory.TenantId}/";
        var first = await Sts.GetAsync($"{baseUrl}me/memberOf?api-version=1.6", token);
        var ids = first.Json.GetProperty("value").EnumerateArray().Select(g => g.GetProperty("objectId").GetString()!).ToList();
        var next = first.Json.GetProperty("odata.nextLink").GetString();
        Assert.StartsWith("directoryObjects/$/Microsoft.DirectoryServices.User/", next, StringComparison.Ordinal);
        Assert.Contains("$skiptoken=X'", next, StringComparison.Ordinal);
        while (next is not null)
        {
            var page = await Sts.GetAsync($"{baseUrl}{next}&api-version=1.6", token);
            Assert.Equal(200, (int)page.Status);
            ids.AddRange(page.Json.GetProperty("value").EnumerateArray().Select(g => g.GetProperty("objectId").GetString()!));
            next = page.Json.TryGetProperty("odata.nextLink", out var link) ? link.GetString() : null;
        }

        Assert.Equal("Microsoft.DirectoryServices.Group", first.Json.GetProperty("value")[0].GetProperty("odata.type").GetString());
        Assert.Equal(DemoDirectory.MeganGroupCount + 1, ids.Distinct().Count());
    }

    [Fact]
    public async Task The_overage_endpoint_answers_with_the_group_ids()
    {
        var apiToken = (await Sts.PasswordV1Async(DemoDirectory.Megan, DemoDirectory.WebApiAppIdUri)).Json.GetProperty("access_token").GetString()!;
        var endpoint = JwtParts.Decode(apiToken).Payload.GetProperty("_claim_sources").GetProperty("src1").GetProperty("endpoint").GetString()!;

        var reply = await Sts.PostJsonAsync($"{endpoint}?api-version=1.6", "{\"securityEnabledOnly\":true}", await TokenAsync(DemoDirectory.Megan));
        var groups = await Sts.PostJsonAsync($"aadgraph/myorganization/users/{DemoDirectory.MeganId}/getMemberGroups?api-version=1.6", "{\"securityEnabledOnly\":false}", await TokenAsync(DemoDirectory.Megan));

        Assert.Equal(DemoDirectory.MeganGroupCount, reply.Json.GetProperty("value").GetArrayLength());
        Assert.EndsWith("$metadata#Collection(Edm.String)", reply.Json.GetProperty("odata.metadata").GetString(), StringComparison.Ordinal);
        Assert.Equal(DemoDirectory.MeganGroupCount + 1, groups.Json.GetProperty("value").GetArrayLength());
    }

    [Fact]
    public async Task The_retired_switch_answers_403()
    {
        await using var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false });
        using var sts = new StsClient(emulator);
        var token = (await sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.windows.net")).Json.GetProperty("access_token").GetString()!;
        emulator.Directory.UpdateSettings(s => s with { AadGraphRetired = true });

        var reply = await sts.GetAsync("aadgraph/me?api-version=1.6", token);

        Assert.Equal(403, (int)reply.Status);
        Assert.Equal("Authorization_RequestDenied", reply.Json.GetProperty("odata.error").GetProperty("code").GetString());
    }
}
