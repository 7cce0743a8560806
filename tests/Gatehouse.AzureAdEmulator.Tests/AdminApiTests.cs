using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>The /_emulator admin API and the sign-in log.</summary>
public sealed class AdminApiTests : IAsyncLifetime
{
    private AzureAdEmulator _emulator = null!;
    private StsClient _sts = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false });
        _sts = new StsClient(_emulator);
    }

    public async Task DisposeAsync()
    {
        _sts.Dispose();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Users_and_groups_added_at_run_time_sign_in_and_show_in_graph()
    {
        const string id = "5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7999";
        var user = await _sts.PostJsonAsync("_emulator/users", $$"""
            {"id":"{{id}}","tenantId":"{{DemoDirectory.TenantId}}","userPrincipalName":"new.hire@contoso.com",
             "password":"Welcome-1","displayName":"New Hire","jobTitle":"Intern"}
            """, method: HttpMethod.Put);
        var group = await _sts.PostJsonAsync("_emulator/groups", $$"""
            {"id":"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0999","tenantId":"{{DemoDirectory.TenantId}}","displayName":"Interns","members":["{{id}}"]}
            """, method: HttpMethod.Put);

        var login = await _sts.PasswordV2Async("new.hire@contoso.com", "https://graph.microsoft.com/User.Read", password: "Welcome-1");
        var groups = await _sts.GetAsync("v1.0/me/memberOf", login.Json.GetProperty("access_token").GetString());

        Assert.Equal(204, (int)user.Status);
        Assert.Equal(204, (int)group.Status);
        Assert.Equal(200, (int)login.Status);
        Assert.Equal("Interns", groups.Json.GetProperty("value")[0].GetProperty("displayName").GetString());
    }

    [Fact]
    public async Task Group_membership_changes_in_graphs_shape_show_at_the_next_sign_in()
    {
        var token = async () => (await _sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read")).Json.GetProperty("access_token").GetString();
        async Task<List<string?>> Groups() => [.. (await _sts.GetAsync("v1.0/me/transitiveMemberOf", await token())).Json.GetProperty("value")
            .EnumerateArray().Select(g => g.GetProperty("displayName").GetString())];
        Assert.Contains("Sales", await Groups()); // through Sales West

        var removed = await _sts.Http.DeleteAsync($"_emulator/groups/{DemoDirectory.SalesWestGroupId}/members/{DemoDirectory.AdeleId}/$ref");
        Assert.Equal(204, (int)removed.StatusCode);
        Assert.DoesNotContain("Sales", await Groups());
        Assert.DoesNotContain("Sales West", await Groups());

        var added = await _sts.PostJsonAsync($"_emulator/groups/{DemoDirectory.SalesGroupId}/members/$ref",
            $"{{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/{DemoDirectory.AdeleId}\"}}");
        Assert.Equal(204, (int)added.Status);
        Assert.Equal(["Sales"], (await Groups()).Where(g => g!.StartsWith("Sales", StringComparison.Ordinal)));

        Assert.Equal(404, (int)(await _sts.Http.DeleteAsync($"_emulator/groups/{DemoDirectory.SalesWestGroupId}/members/{DemoDirectory.AdeleId}/$ref")).StatusCode);
        Assert.Equal(400, (int)(await _sts.PostJsonAsync($"_emulator/groups/{DemoDirectory.SalesGroupId}/members/$ref", "{\"@odata.id\":\"nope\"}")).Status);
        Assert.Equal(404, (int)(await _sts.PostJsonAsync($"_emulator/groups/{DemoDirectory.SalesGroupId}/members/$ref",
            "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/5e6f7a8b-9c0d-4e1f-8a2b-000000000000\"}")).Status);
    }

    [Fact]
    public async Task A_bad_change_answers_400_naming_the_mistake()
    {
        var reply = await _sts.PostJsonAsync("_emulator/groups",
            $"{{\"id\":\"7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b0999\",\"tenantId\":\"{DemoDirectory.TenantId}\",\"displayName\":\"G\",\"members\":[\"7a8b9c0d-0000-4a3b-8c4d-5e6f7a8b0999\"]}}",
            method: HttpMethod.Put);

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal("invalid_seed", reply.Json.GetProperty("error").GetString());
        Assert.EndsWith(".members[0]", reply.Json.GetProperty("errors")[0].GetProperty("path").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Removing_a_user_removes_its_memberships_and_sign_in()
    {
        var removed = await _sts.Http.DeleteAsync($"_emulator/users/{DemoDirectory.Adele}");
        var login = await _sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");
        var missing = await _sts.Http.DeleteAsync("_emulator/users/nobody@contoso.com");

        Assert.Equal(204, (int)removed.StatusCode);
        Assert.Equal(50034, login.ErrorCode);
        Assert.Equal(404, (int)missing.StatusCode);
        Assert.DoesNotContain(_emulator.Directory.Seed.Groups, g => g.Members.Contains(DemoDirectory.AdeleId));
    }

    [Fact]
    public async Task Settings_change_through_the_admin_api()
    {
        var put = await _sts.PostJsonAsync("_emulator/settings", "{\"aadGraphRetired\":true,\"lockoutThreshold\":5}", method: HttpMethod.Put);
        var bad = await _sts.PostJsonAsync("_emulator/settings", "{\"graphPageSize\":5000}", method: HttpMethod.Put);
        var read = await _sts.GetAsync("_emulator/settings");

        Assert.Equal(204, (int)put.Status);
        Assert.Equal(400, (int)bad.Status);
        Assert.Equal("$.settings.graphPageSize", bad.Json.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.True(read.Json.GetProperty("aadGraphRetired").GetBoolean());
        Assert.Equal(5, _emulator.Directory.Settings.LockoutThreshold);
    }

    [Fact]
    public async Task The_directory_is_read_back_without_passwords_and_reset_restores_it()
    {
        _emulator.Directory.RemoveUser(DemoDirectory.Megan);
        var read = await _sts.GetAsync("_emulator/directory");
        var reset = await _sts.PostJsonAsync("_emulator/reset", "");

        Assert.DoesNotContain("P@ssw0rd", read.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(DemoDirectory.Megan, read.Body, StringComparison.Ordinal);
        Assert.Equal(204, (int)reset.Status);
        Assert.Contains(_emulator.Directory.Seed.Users, u => u.UserPrincipalName == DemoDirectory.Megan);
    }

    [Fact]
    public async Task The_sign_in_log_records_outcomes_and_never_a_password()
    {
        const string wrong = "Secret-Wrong-Password-123";
        await _sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.windows.net",
            extra: ("client_request_id", "ignored"));
        await _sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            [("grant_type", "password"), ("client_id", DemoDirectory.NativeAppId), ("scope", "https://graph.microsoft.com/User.Read"),
             ("username", DemoDirectory.Megan), ("password", wrong)],
            new Dictionary<string, string> { ["client-request-id"] = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9" });

        var log = _emulator.SignInLog.Entries;
        var http = await _sts.GetAsync("_emulator/signins");

        var ok = Assert.Single(log, e => e.ResultCode == 0);
        Assert.Equal((DemoDirectory.TenantId, DemoDirectory.Adele, DemoDirectory.NativeAppId, "https://graph.windows.net", "1.0"),
            (ok.TenantId, ok.UserPrincipalName, ok.AppId, ok.Resource, ok.EndpointVersion));
        var failed = Assert.Single(log, e => e.ResultCode == 50126);
        Assert.Equal(("2.0", "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9", "invalid_grant"), (failed.EndpointVersion, failed.CorrelationId, failed.Error));
        Assert.Equal(2, http.Json.GetArrayLength());
        Assert.DoesNotContain(wrong, http.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("P@ssw0rd", http.Body, StringComparison.Ordinal);
    }
}
