using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests;

/// <summary>/api/v2/users search (the q subset), users-by-email, a user's logs, identity tokens; and /logs search, sort and paging.</summary>
public class ManagementUsersTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private HttpClient Api => tenant.Management;

    private static List<string> Emails(JsonElement users) => users.EnumerateArray().Select(u => u.GetProperty("email").GetString()!).ToList();

    private async Task<List<string>> SearchAsync(string q, string extra = "") =>
        Emails(await HttpAssert.OkJsonAsync(await Api.GetAsync($"users?q={Uri.EscapeDataString(q)}&per_page=100{extra}")));

    private async Task<string> SearchErrorAsync(string q) =>
        await HttpAssert.ManagementErrorAsync(await Api.GetAsync($"users?q={Uri.EscapeDataString(q)}"), 400, "invalid_query_string");

    private async Task SeedAsync()
    {
        if ((await SearchAsync("email:searchable*")).Count > 0)
            return;
        await tenant.PostAsync("connections", new { name = "search-db", strategy = "auth0", enabled_clients = new[] { tenant.NativeClientId } });
        await tenant.PostAsync("users", new { connection = "search-db", email = "searchable.ann@example.com", password = "Search-Passw0rd", name = "Ann Lee" });
        await tenant.PostAsync("users", new { connection = "search-db", email = "searchable.bob@example.com", password = "Search-Passw0rd", name = "Bob Stone" });
        await tenant.PostAsync("users", new { connection = TestTenant.Connection, email = "searchable.cy@other.example", password = "Search-Passw0rd", name = "Cy Lee" });
    }

    [Fact]
    public async Task The_q_subset_translates_to_a_query()
    {
        await SeedAsync();
        Assert.Equal(["searchable.ann@example.com"], await SearchAsync("email:\"searchable.ann@example.com\""));
        Assert.Equal(["searchable.ann@example.com"], await SearchAsync("email:SEARCHABLE.ANN@example.com"));
        Assert.Equal(["searchable.ann@example.com", "searchable.bob@example.com", "searchable.cy@other.example"], await SearchAsync("email:searchable*"));
        Assert.Equal(["searchable.ann@example.com"], await SearchAsync("name:\"Ann Lee\""));
        Assert.Equal(["searchable.ann@example.com", "searchable.bob@example.com"], await SearchAsync("identities.connection:\"search-db\""));
        Assert.Equal(["searchable.ann@example.com"], await SearchAsync("identities.connection:search-db AND name:ann*"));
        Assert.Equal(["searchable.bob@example.com", "searchable.cy@other.example"], await SearchAsync("name:bob* OR name:\"Cy Lee\""));
        Assert.Equal(["searchable.bob@example.com"], await SearchAsync("identities.connection:search-db AND NOT name:ann*"));
        Assert.Equal(["searchable.bob@example.com"], await SearchAsync("identities.connection:search-db -name:ann*"));
        Assert.Equal(["searchable.ann@example.com", "searchable.bob@example.com"], await SearchAsync("email:searchable*", "&connection=search-db"));

        Assert.Equal(["searchable.cy@other.example", "searchable.bob@example.com", "searchable.ann@example.com"], await SearchAsync("email:searchable*", "&sort=email:-1"));
        var fields = await HttpAssert.OkJsonAsync(await Api.GetAsync($"users?q={Uri.EscapeDataString("email:searchable*")}&fields=email,user_id"));
        Assert.All(fields.EnumerateArray(), u => Assert.Equal(["email", "user_id"], u.EnumerateObject().Select(p => p.Name).Order()));
        var paged = await HttpAssert.OkJsonAsync(await Api.GetAsync($"users?q={Uri.EscapeDataString("email:searchable*")}&page=1&per_page=2&include_totals=true"));
        Assert.Equal((3, 1, 2), (paged.GetProperty("total").GetInt32(), paged.GetProperty("users").GetArrayLength(), paged.GetProperty("start").GetInt32()));

        Assert.Contains("parentheses", await SearchErrorAsync("(email:a OR email:b)"), StringComparison.Ordinal);
        Assert.Contains("not field:value", await SearchErrorAsync("ann"), StringComparison.Ordinal);
        Assert.Contains("trailing", await SearchErrorAsync("email:*@example.com"), StringComparison.Ordinal);
        Assert.Contains("fuzzy", await SearchErrorAsync("name:ann~"), StringComparison.Ordinal);
        Assert.Contains("Unknown search field 'favourite_color'", await SearchErrorAsync("favourite_color:red"), StringComparison.Ordinal);
        Assert.Contains("unterminated quote", await SearchErrorAsync("name:\"Ann"), StringComparison.Ordinal);
        Assert.Contains("sort", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("users?sort=email"), 400, "invalid_query_string"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_writes_need_their_scopes()
    {
        using var reader = await tenant.ManagementWithScopesAsync("read:users");
        using var metadataOnly = await tenant.ManagementWithScopesAsync("update:users_app_metadata");
        var snapshot = await tenant.SnapshotAsync();
        var path = $"users/{Uri.EscapeDataString(tenant.UserId)}";
        Assert.Equal("Insufficient scope, expected any of: create:users", await HttpAssert.ManagementErrorAsync(
            await reader.PostAsJsonAsync("users", new { connection = TestTenant.Connection, email = "nope@example.com", password = "Search-Passw0rd" }), 403, "insufficient_scope"));
        Assert.Equal("Insufficient scope, expected any of: update:users,update:users_app_metadata", await HttpAssert.ManagementErrorAsync(
            await reader.PatchAsJsonAsync(path, new { blocked = true }), 403, "insufficient_scope"));
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        await HttpAssert.ManagementErrorAsync(await metadataOnly.GetAsync(path), 403, "insufficient_scope");
        Assert.Contains("connection", await HttpAssert.ManagementErrorAsync(await Api.PostAsJsonAsync("users", new { connection = "no-such-connection", email = "x@example.com", password = "Search-Passw0rd" }), 400, "invalid_body"), StringComparison.OrdinalIgnoreCase);
        await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync("users/auth0%7Cnobody", new { blocked = true }), 404, "inexistent_user");
        await HttpAssert.ManagementErrorAsync(await Api.DeleteAsync("users/auth0%7Cnobody"), 404, "inexistent_user");
    }

    [Fact]
    public async Task Users_by_email_finds_every_connection_and_needs_read_users()
    {
        await SeedAsync();
        await tenant.PostAsync("users", new { connection = "search-db", email = "twice@example.com", password = "Search-Passw0rd" });
        await tenant.PostAsync("users", new { connection = TestTenant.Connection, email = "twice@example.com", password = "Search-Passw0rd" });
        var both = await HttpAssert.OkJsonAsync(await Api.GetAsync("users-by-email?email=TWICE@example.com"));
        Assert.Equal(2, both.GetArrayLength());
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync("users-by-email?email=nobody@example.com"))).EnumerateArray());
        var fields = await HttpAssert.OkJsonAsync(await Api.GetAsync("users-by-email?email=twice@example.com&fields=user_id"));
        Assert.Equal(["user_id"], fields[0].EnumerateObject().Select(p => p.Name));
        Assert.Contains("email", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("users-by-email"), 400, "invalid_query_string"), StringComparison.Ordinal);
        using var logReader = await tenant.ManagementWithScopesAsync("read:logs");
        Assert.Equal("Insufficient scope, expected any of: read:users", await HttpAssert.ManagementErrorAsync(await logReader.GetAsync("users-by-email?email=twice@example.com"), 403, "insufficient_scope"));
    }

    [Fact]
    public async Task A_users_logs_are_theirs_only_and_need_read_logs()
    {
        await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync());
        await HttpAssert.OAuthErrorAsync(await tenant.PasswordLoginAsync(password: "wrong-Passw0rd"), 403, "invalid_grant");
        var path = $"users/{Uri.EscapeDataString(tenant.UserId)}/logs";
        var logs = await HttpAssert.OkJsonAsync(await Api.GetAsync(path));
        Assert.True(logs.GetArrayLength() >= 2);
        Assert.All(logs.EnumerateArray(), l => Assert.Equal(tenant.UserId, l.GetProperty("user_id").GetString()));
        Assert.Equal("fp", logs[0].GetProperty("type").GetString());
        var oldest = await HttpAssert.OkJsonAsync(await Api.GetAsync(path + "?sort=date:1&per_page=1&include_totals=true"));
        Assert.Equal(logs.GetArrayLength(), oldest.GetProperty("total").GetInt32());
        Assert.Equal(logs[logs.GetArrayLength() - 1].GetProperty("log_id").GetString(), oldest.GetProperty("logs")[0].GetProperty("log_id").GetString());

        await HttpAssert.ManagementErrorAsync(await Api.GetAsync("users/auth0%7Cnobody/logs"), 404, "inexistent_user");
        using var userReader = await tenant.ManagementWithScopesAsync("read:users");
        Assert.Equal("Insufficient scope, expected any of: read:logs,read:logs_users", await HttpAssert.ManagementErrorAsync(await userReader.GetAsync(path), 403, "insufficient_scope"));
    }

    [Fact]
    public async Task Identity_provider_tokens_need_read_user_idp_tokens()
    {
        var protector = tenant.Server.Services.GetRequiredService<ISecretProtector>();
        var store = tenant.Server.Store;
        var created = await tenant.PostAsync("users", new { connection = TestTenant.Connection, email = "federated-ish@example.com", password = "Search-Passw0rd" });
        var user = (await store.GetUserAsync(created.GetProperty("user_id").GetString()!, CancellationToken.None))!;
        var identity = user.Identities[0] with
        {
            AccessTokenProtected = protector.Protect("upstream-access", UpstreamTokenPurposes.AccessToken),
            RefreshTokenProtected = protector.Protect("upstream-refresh", UpstreamTokenPurposes.RefreshToken),
        };
        await store.UpdateUserAsync(user with { Identities = [identity] }, CancellationToken.None);
        var path = $"users/{Uri.EscapeDataString(user.UserId)}";

        using var plain = await tenant.ManagementWithScopesAsync("read:users");
        var hidden = await HttpAssert.OkJsonAsync(await plain.GetAsync(path));
        Assert.False(hidden.GetProperty("identities")[0].TryGetProperty("access_token", out _));
        Assert.DoesNotContain("upstream-", hidden.GetRawText(), StringComparison.Ordinal);

        var before = (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count;
        using var idp = await tenant.ManagementWithScopesAsync("read:user_idp_tokens");
        var shown = (await HttpAssert.OkJsonAsync(await idp.GetAsync(path))).GetProperty("identities")[0];
        Assert.Equal(("upstream-access", "upstream-refresh"), (shown.GetProperty("access_token").GetString(), shown.GetProperty("refresh_token").GetString()));
        Assert.Equal(before + 1, (await tenant.LogsOfTypeAsync("mgmt_api_read")).Count);
        Assert.DoesNotContain("upstream-", (await HttpAssert.OkJsonAsync(await Api.GetAsync($"users?q={Uri.EscapeDataString("email:federated-ish*")}"))).GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_search_sort_checkpoint_and_get_by_id()
    {
        await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync());
        var newest = await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?q=type:sepft&per_page=100"));
        Assert.All(newest.EnumerateArray(), l => Assert.Equal("sepft", l.GetProperty("type").GetString()));
        var viaSearch = await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?search=type:sepft&per_page=100"));
        Assert.Equal(newest.GetArrayLength(), viaSearch.GetArrayLength());
        var prefixed = await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?search=type:sep&per_page=100"));
        Assert.Equal(newest.GetArrayLength(), prefixed.GetArrayLength());
        var bare = await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?search=test&per_page=100"));
        Assert.NotEqual(0, bare.GetArrayLength());
        Assert.All(bare.EnumerateArray(), l => Assert.Contains(new[] { "client_name", "connection", "user_name" },
            f => l.TryGetProperty(f, out var v) && v.GetString()!.StartsWith("test", StringComparison.OrdinalIgnoreCase)));
        var oldest = await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?q=type:sepft&per_page=100&sort=date:1"));
        Assert.Equal(newest.EnumerateArray().Select(l => l.GetProperty("log_id").GetString()).Reverse(), oldest.EnumerateArray().Select(l => l.GetProperty("log_id").GetString()));

        var all = (await HttpAssert.OkJsonAsync(await Api.GetAsync("logs?per_page=100"))).EnumerateArray().Select(l => l.GetProperty("log_id").GetString()!).ToList();
        // A checkpoint reads forward (newer logs, oldest first) unless sort says otherwise.
        var newer = await HttpAssert.OkJsonAsync(await Api.GetAsync($"logs?from={all[3]}&take=2"));
        Assert.Equal([all[2], all[1]], newer.EnumerateArray().Select(l => l.GetProperty("log_id").GetString()));
        var older = await HttpAssert.OkJsonAsync(await Api.GetAsync($"logs?from={all[0]}&take=2&sort=date:-1"));
        Assert.Equal(all.Skip(1).Take(2), older.EnumerateArray().Select(l => l.GetProperty("log_id").GetString()));

        var from = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        var recent = await HttpAssert.OkJsonAsync(await Api.GetAsync($"logs?per_page=100&q={Uri.EscapeDataString($"type:sepft AND date:[{from} TO *]")}"));
        Assert.Equal(newest.GetArrayLength(), recent.GetArrayLength());
        Assert.Empty((await HttpAssert.OkJsonAsync(await Api.GetAsync($"logs?q={Uri.EscapeDataString("date:[2000-01-01 TO 2000-12-31]")}"))).EnumerateArray());

        var one = await HttpAssert.OkJsonAsync(await Api.GetAsync($"logs/{all[0]}?fields=type,log_id"));
        Assert.Equal(["log_id", "type"], one.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("Log not found.", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("logs/nope"), 404, "inexistent_log"));
        Assert.Contains("sort", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("logs?sort=type:1"), 400, "invalid_query_string"), StringComparison.Ordinal);
        Assert.Contains("range", await HttpAssert.ManagementErrorAsync(await Api.GetAsync($"logs?q={Uri.EscapeDataString("type:[a TO b]")}"), 400, "invalid_query_string"), StringComparison.Ordinal);
        Assert.Contains("take", await HttpAssert.ManagementErrorAsync(await Api.GetAsync("logs?take=101"), 400, "invalid_query_string"), StringComparison.Ordinal);
        using var nobody = await tenant.ManagementWithScopesAsync("read:users");
        await HttpAssert.ManagementErrorAsync(await nobody.GetAsync("logs"), 403, "insufficient_scope");
        await HttpAssert.ManagementErrorAsync(await nobody.GetAsync($"logs/{all[0]}"), 403, "insufficient_scope");
    }

    [Fact]
    public async Task A_federated_users_profile_follows_set_user_root_attributes()
    {
        var waad = await tenant.PostAsync("connections", new
        {
            name = "root-waad", strategy = "waad",
            options = new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455" },
        });
        var now = DateTimeOffset.UtcNow;
        var user = await tenant.Server.Store.CreateUserAsync(new Gatehouse.Core.Storage.User(
            "waad|root-user", waad.GetProperty("id").GetString()!, "root@contoso.example", true, null, null, "Root User", "Root", "User", "root", null,
            null, "tid/root-user", [new Gatehouse.Core.Storage.UserIdentity("waad", "root-user", "root-waad", false, null, null, null)],
            null, null, null, false, now, now, null, null, 0, null, 0), CancellationToken.None);
        var path = $"users/{Uri.EscapeDataString(user.UserId)}";

        var snapshot = await tenant.SnapshotAsync();
        Assert.Contains("set_user_root_attributes", await HttpAssert.ManagementErrorAsync(await Api.PatchAsJsonAsync(path, new { name = "Renamed" }), 400, "invalid_body"), StringComparison.Ordinal);
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
        var metadata = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync(path, new { app_metadata = new { plan = "gold" }, blocked = true }));
        Assert.Equal(("gold", true), (metadata.GetProperty("app_metadata").GetProperty("plan").GetString(), metadata.GetProperty("blocked").GetBoolean()));

        await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync($"connections/{waad.GetProperty("id").GetString()}", new
        {
            options = new { tenant_domain = "contoso.example", client_id = "c8b7a6d5-1234-4abc-9def-001122334455", set_user_root_attributes = "on_first_login" },
        }));
        var renamed = await HttpAssert.OkJsonAsync(await Api.PatchAsJsonAsync(path, new { name = "Renamed" }));
        Assert.Equal("Renamed", renamed.GetProperty("name").GetString());
    }
}
