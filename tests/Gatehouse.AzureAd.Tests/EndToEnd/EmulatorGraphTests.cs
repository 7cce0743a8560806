using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests.EndToEnd;

public sealed class EmulatorGraphTests(EmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private static List<string> Strings(System.Text.Json.JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    [Theory]
    [InlineData(WaadOptionsParser.IdentityApiV2)]
    [InlineData(WaadOptionsParser.IdentityApiV1)]
    public async Task A_microsoft_graph_app_id_brings_groups_and_the_extended_profile(string identityApi)
    {
        var options = With(BriefPayload(), ("identity_api", identityApi), ("app_id", "https://graph.microsoft.com"),
            ("ext_groups", true), ("ext_profile", true));
        var user = AssertSuccess(await Login(Create(options), DemoDirectory.Adele));

        Assert.Equal(["All Company", "Sales West"], Strings(Attr(user, "groups")).Order());
        Assert.Contains(DemoDirectory.SalesWestGroupId, Strings(Attr(user, "group_ids")));
        Assert.True(HasAttr(user, "job_title"));
        Assert.False(HasAttr(user, "groups_unavailable_reason"));
    }

    [Fact]
    public async Task Nested_groups_come_from_transitive_member_of()
    {
        var options = With(BriefPayload(), ("app_id", "https://graph.microsoft.com"), ("ext_nested_groups", true));
        var user = AssertSuccess(await Login(Create(options), DemoDirectory.Adele));
        Assert.Contains(DemoDirectory.SalesGroupId, Strings(Attr(user, "group_ids")));
    }

    [Fact]
    public async Task Azure_ad_graph_as_in_the_brief_brings_direct_groups_over_relative_next_links()
    {
        var options = With(BriefPayload(), ("identity_api", WaadOptionsParser.IdentityApiV1), ("app_id", "https://graph.windows.net"),
            ("ext_groups", true), ("ext_profile", true));
        var user = AssertSuccess(await Login(Create(options), DemoDirectory.Megan));
        Assert.Equal(DemoDirectory.MeganGroupCount + 1, Attr(user, "group_ids").GetArrayLength()); // 300 projects + All Company, 4 pages
        Assert.False(HasAttr(user, "groups_unavailable_reason"));
    }

    [Fact]
    public async Task Over_two_hundred_groups_page_through_microsoft_graph_and_max_groups_caps_them()
    {
        var options = With(BriefPayload(), ("app_id", "https://graph.microsoft.com"), ("ext_groups", true));
        var all = AssertSuccess(await Login(Create(options), DemoDirectory.Megan));
        Assert.Equal(DemoDirectory.MeganGroupCount + 1, Attr(all, "groups").GetArrayLength());

        var capped = AssertSuccess(await Login(Create(With(options, ("max_groups_to_retrieve", "150")), "con_2", "capped"), DemoDirectory.Megan));
        Assert.Equal(150, Attr(capped, "groups").GetArrayLength());
        Assert.True(Attr(capped, "groups_truncated").GetBoolean());
    }

    [Fact]
    public async Task A_web_api_app_id_logs_in_without_groups_and_says_why()
    {
        var user = AssertSuccess(await Login(Create(With(BriefPayload(), ("ext_groups", true))), DemoDirectory.Adele));
        Assert.False(HasAttr(user, "groups"));
        Assert.Contains("Web API", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(WaadOptionsParser.IdentityApiV2)]
    [InlineData(WaadOptionsParser.IdentityApiV1)]
    public async Task Graph_via_refresh_token_gets_groups_while_keeping_the_web_api_app_id(string identityApi)
    {
        var options = With(BriefPayload(), ("identity_api", identityApi), ("ext_groups", true), ("gatehouse_graph_via_refresh_token", true));
        var user = AssertSuccess(await Login(Create(options), DemoDirectory.Adele));
        Assert.Equal(["All Company", "Sales West"], Strings(Attr(user, "groups")).Order());

        var entries = Emulator.SignInLog.Entries;
        var refresh = entries[^1];
        Assert.Equal(("refresh_token", 0), (refresh.GrantType, refresh.ResultCode));
    }

    [Fact]
    public async Task Retired_azure_ad_graph_does_not_fail_the_login()
    {
        Emulator.Directory.UpdateSettings(s => s with { AadGraphRetired = true });
        var options = With(BriefPayload(), ("app_id", "https://graph.windows.net"), ("ext_groups", true));
        var user = AssertSuccess(await Login(Create(options), DemoDirectory.Adele));
        Assert.Contains("http=403", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Graph_faults_are_retried_once_then_recorded()
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Graph, Kind = FaultKind.ServerError, Status = 503, Count = 1 });
        var options = With(BriefPayload(), ("app_id", "https://graph.microsoft.com"), ("ext_groups", true));
        AssertSuccess(await Login(Create(options), DemoDirectory.Adele)); // one 503, then the retry succeeds

        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Graph, Kind = FaultKind.Throttle, RetryAfterSeconds = 120 });
        var user = AssertSuccess(await Login(Create(options, "con_2", "c2"), DemoDirectory.Adele));
        Assert.Contains("http=429", Attr(user, "groups_unavailable_reason").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_json_round_trip_keeps_its_shape()
    {
        var options = With(BriefPayload(), ("scope", new JsonArray("User.Read")));
        Assert.Empty(Strategy.ValidateOptions(System.Text.Json.JsonSerializer.SerializeToElement(options)));
    }
}
