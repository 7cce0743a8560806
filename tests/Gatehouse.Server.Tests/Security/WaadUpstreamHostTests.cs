using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// Issue 14, finding 3: a caller allowed to change connection options but not to read them must not be able to send a
/// connection's traffic (users' passwords, the kept client secret, tokens) to a host of its choosing.
/// </summary>
public sealed class WaadUpstreamHostTests(WaadUpstreamFixture fixture) : IClassFixture<WaadUpstreamFixture>
{
    private const string KeptSecret = "kept-connection-secret-123";

    private static Dictionary<string, object?> Options(params (string Name, object? Value)[] extra)
    {
        var options = new Dictionary<string, object?>
        {
            ["tenant_domain"] = DemoDirectory.TenantDomain, ["client_id"] = DemoDirectory.NativeAppId, ["app_id"] = DemoDirectory.WebApiAppIdUri,
        };
        foreach (var (name, value) in extra)
            options[name] = value;
        return options;
    }

    private async Task<(string Id, HttpClient Caller)> ConnectionAndNarrowCallerAsync(string name)
    {
        var id = await fixture.CreateWaadAsync(name, Options(("client_secret", KeptSecret)));
        return (id, await fixture.Tenant.ManagementWithScopesAsync("update:connections", "update:connections_options"));
    }

    private async Task<long> VersionAsync(string id) => (await fixture.Server.Store.GetConnectionAsync(id, CancellationToken.None))!.Version;

    [Theory]
    [InlineData("http://attacker.example/", false)]
    [InlineData("https://attacker.example/", false)]
    [InlineData("https://attacker.example/", true)]
    [InlineData("http://127.0.0.1:{port}/", false)]
    [InlineData("https://127.0.0.1:{port}/", true)]
    public async Task A_caller_without_read_access_cannot_point_a_connection_at_a_foreign_host(string url, bool sendsOwnSecret)
    {
        using var listener = new UntouchedListener();
        var (id, caller) = await ConnectionAndNarrowCallerAsync($"host-foreign-{Guid.NewGuid():N}"[..24]);
        var before = await VersionAsync(id);
        var options = Options(("gatehouse_authority_url", url.Replace("{port}", listener.Port.ToString(), StringComparison.Ordinal)));
        if (sendsOwnSecret)
            options["client_secret"] = "attacker-chosen-secret";

        var message = await HttpAssert.ManagementErrorAsync(await caller.PatchAsJsonAsync($"connections/{id}", new { options }), 400, "invalid_body");

        Assert.Contains("options.gatehouse_authority_url must be", message, StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync(id));
        Assert.False(listener.WasContacted);
    }

    [Theory]
    [InlineData("gatehouse_graph_url")]
    [InlineData("gatehouse_aad_graph_url")]
    public async Task Graph_hosts_come_from_the_allow_list_too(string option)
    {
        var (id, caller) = await ConnectionAndNarrowCallerAsync($"host-graph-{Guid.NewGuid():N}"[..24]);
        var before = await VersionAsync(id);
        var message = await HttpAssert.ManagementErrorAsync(
            await caller.PatchAsJsonAsync($"connections/{id}", new { options = Options((option, "https://attacker.example/"), ("client_secret", null)) }),
            400, "invalid_body");
        Assert.Contains($"options.{option} must be on a host the server allows", message, StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync(id));
    }

    [Fact]
    public async Task A_host_change_never_keeps_the_stored_secret_it_must_be_sent_or_removed()
    {
        var (id, caller) = await ConnectionAndNarrowCallerAsync($"host-move-{Guid.NewGuid():N}"[..24]);
        var protectedSecret = (await fixture.StoredOptionsAsync(id)).GetProperty("client_secret").GetString();
        var before = await VersionAsync(id);

        // Another Microsoft cloud, without the secret: refused, nothing changes.
        var moved = Options(("gatehouse_authority_url", "https://login.microsoftonline.us/"));
        var message = await HttpAssert.ManagementErrorAsync(await caller.PatchAsJsonAsync($"connections/{id}", new { options = moved }), 400, "invalid_body");
        Assert.Contains("options.gatehouse_authority_url changed, so the stored options.client_secret is not kept", message, StringComparison.Ordinal);
        Assert.Equal(before, await VersionAsync(id));
        Assert.Equal(protectedSecret, (await fixture.StoredOptionsAsync(id)).GetProperty("client_secret").GetString());

        // Options re-sent without the secret and without moving: the secret is kept, as before.
        await HttpAssert.OkJsonAsync(await caller.PatchAsJsonAsync($"connections/{id}", new { options = Options(("ext_profile", true)) }));
        Assert.Equal(protectedSecret, (await fixture.StoredOptionsAsync(id)).GetProperty("client_secret").GetString());

        // Moving with client_secret null: the connection goes without a secret.
        moved["client_secret"] = null;
        await HttpAssert.OkJsonAsync(await caller.PatchAsJsonAsync($"connections/{id}", new { options = moved }));
        Assert.False((await fixture.StoredOptionsAsync(id)).TryGetProperty("client_secret", out _));

        // Moving back with a new secret: that one is stored.
        await HttpAssert.OkJsonAsync(await caller.PatchAsJsonAsync($"connections/{id}", new { options = Options(("client_secret", "a-new-secret-456")) }));
        var shown = await HttpAssert.OkJsonAsync(await fixture.Management.GetAsync($"connections/{id}"));
        Assert.Equal("a-new-secret-456", shown.GetProperty("options").GetProperty("client_secret").GetString());
    }

    [Theory]
    [InlineData("gatehouse_authority_url")]
    [InlineData("gatehouse_graph_url")]
    [InlineData("gatehouse_aad_graph_url")]
    public async Task A_stored_connection_naming_a_host_no_longer_allowed_refuses_logins_and_never_contacts_it(string option)
    {
        using var listener = new UntouchedListener();
        var name = $"stored-{option.Replace('_', '-')}";
        var options = JsonSerializer.SerializeToElement(Options(
            (option, $"https://127.0.0.1:{listener.Port}/"), ("ext_profile", true), ("ext_groups", true), ("gatehouse_timeout_ms", 1000)));
        await fixture.Server.Store.CreateConnectionAsync(new Connection(
            "con_" + Guid.NewGuid().ToString("N")[..16], name, WaadConnectionStrategy.StrategyName, options,
            [fixture.Tenant.NativeClientId], [name], null, false, false, null, 0), CancellationToken.None);

        var response = await fixture.LoginAsync(name, DemoDirectory.Adele, DemoDirectory.PasswordOf(DemoDirectory.Adele));

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("access_denied", body.GetProperty("error").GetString());
        Assert.Equal(WaadRefusals.MisconfiguredDescription, body.GetProperty("error_description").GetString());
        Assert.False(listener.WasContacted);
    }

    [Fact]
    public async Task The_operators_own_azure_ad_host_stays_allowed_as_a_connection_option()
    {
        var name = "host-operator";
        await fixture.CreateWaadAsync(name, Options(("gatehouse_authority_url", fixture.Emulator.BaseUrl), ("gatehouse_graph_url", fixture.Emulator.MicrosoftGraphBaseUrl)));
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(name, DemoDirectory.Adele, DemoDirectory.PasswordOf(DemoDirectory.Adele)));
    }
}

/// <summary>The operator's AzureAd settings follow the same rules: https, or http to loopback only when allowed.</summary>
public sealed class AzureAdSettingsTests
{
    [Fact]
    public void Plain_http_azure_ad_urls_need_the_loopback_development_setting()
    {
        Assert.Throws<InvalidOperationException>(() => new Gatehouse.Server.Hosting.AzureAdSettings { AuthorityUrl = "http://127.0.0.1:8080" }.ToDefaults());
        Assert.Throws<InvalidOperationException>(() => new Gatehouse.Server.Hosting.AzureAdSettings { AuthorityUrl = "http://login.example", AllowHttpLoopback = true }.ToDefaults());
        var defaults = new Gatehouse.Server.Hosting.AzureAdSettings { AuthorityUrl = "http://127.0.0.1:8080", AllowHttpLoopback = true }.ToDefaults();
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), defaults.AuthorityUrl);
        Assert.True(defaults.AllowHttpLoopback);
    }

    [Theory]
    [InlineData("https://proxy.example")]
    [InlineData("proxy.example/path")]
    [InlineData("user@proxy.example")]
    [InlineData(" ")]
    public void Allowed_hosts_are_host_or_host_and_port_only(string entry) =>
        Assert.Throws<InvalidOperationException>(() => new Gatehouse.Server.Hosting.AzureAdSettings { AllowedHosts = [entry] }.ToDefaults());

    [Fact]
    public void Allowed_hosts_reach_the_waad_defaults() =>
        Assert.Equal(["proxy.example", "127.0.0.1:9443"], new Gatehouse.Server.Hosting.AzureAdSettings { AllowedHosts = ["proxy.example", "127.0.0.1:9443"] }.ToDefaults().AllowedHosts);
}
