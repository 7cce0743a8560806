using System.Net;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.DeviceFlow;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Groups;

/// <summary>
/// Issue 19 end to end against the Azure AD emulator, on the password, browser and device paths: roles mapped from
/// (nested) Azure groups reach RBAC and the chosen claims, an application's access rules refuse a user outside its
/// roles with access_denied (no code, no tokens) and a failed-login event, and a group membership changed at Azure
/// between two logins changes both at the next login.
/// </summary>
public sealed class DirectoryRulesTests(DirectoryRulesFixture world) : IClassFixture<DirectoryRulesFixture>
{
    private const string Scope = "openid profile email offline_access read:orders write:orders";
    private const string Connection = DirectoryRulesFixture.Connection;

    private Task<HttpResponseMessage> PasswordAsync(string user) => world.Tenant.TokenAsync(
        ("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("client_id", world.Tenant.NativeClientId), ("realm", Connection),
        ("username", user), ("password", DemoDirectory.PasswordOf(user)), ("scope", Scope), ("audience", DirectoryRulesFixture.Api));

    /// <summary>The browser path: /authorize for the API through the connection, Azure's sign-in page, the app's callback.</summary>
    private async Task<Dictionary<string, string>> BrowserAsync(string user)
    {
        using var browser = world.World.NewBrowser();
        // The browser asks for openid profile (AzureBrowser's scope): no API scope means all of them, narrowed by RBAC.
        var toAzure = await browser.ToAzureAsync(Connection, $"&audience={Uri.EscapeDataString(DirectoryRulesFixture.Api)}");
        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure), user);
        return browser.AppAnswer(await browser.ReturnToGatehouseAsync(formPost));
    }

    /// <summary>The device path through Gatehouse's /activate and Azure's sign-in page: what the page said, and the device's next poll.</summary>
    private async Task<(string Page, HttpResponseMessage Poll)> DeviceAsync(string user)
    {
        var start = await HttpAssert.OkJsonAsync(await world.Tenant.Server.Client.PostAsync("oauth/device/code", new FormUrlEncodedContent(
            new Dictionary<string, string>
            {
                ["client_id"] = world.Device.ClientId, ["scope"] = Scope, ["connection"] = Connection, ["audience"] = DirectoryRulesFixture.Api,
            })));
        using var browser = world.World.NewBrowser();
        var toAzure = await DeviceWorld.ConfirmAsync(browser.Gatehouse, start.GetProperty("user_code").GetString()!);
        Assert.Equal(HttpStatusCode.Redirect, toAzure.StatusCode);
        var formPost = await browser.SignInAtAzureAsync(await browser.OpenAsync(toAzure.Headers.Location!), user);
        var done = await browser.ReturnToGatehouseAsync(formPost);
        var page = await done.Content.ReadAsStringAsync();
        world.Device.Clock.Advance(TimeSpan.FromSeconds(5));
        return (page, await world.Device.PollAsync(start.GetProperty("device_code").GetString()!));
    }

    private static JsonElement Access(JsonElement tokens) => BrowserTenant.Payload(tokens.GetProperty("access_token").GetString()!);

    private static List<string> Strings(JsonElement payload, string claim) =>
        payload.TryGetProperty(claim, out var v) ? [.. v.EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)] : [];

    /// <summary>Adele is in Sales West, and in Sales through it: both roles, both permissions, the claims the API chose.</summary>
    private static void AssertAdeleMapped(JsonElement tokens)
    {
        var access = Access(tokens);
        Assert.Equal(["read:orders", "write:orders"], Strings(access, "permissions"));
        Assert.Equal(["sales", "west"], Strings(access, DirectoryRulesFixture.Ns + "roles"));
        Assert.Equal(["Sales", "Sales West"], Strings(access, DirectoryRulesFixture.Ns + "groups")); // the prefix filter leaves All Company out
        Assert.Contains("write:orders", access.GetProperty("scope").GetString()!.Split(' '));
    }

    [Fact]
    public async Task Roles_mapped_from_nested_groups_reach_rbac_and_the_claims_on_the_password_browser_and_device_paths()
    {
        AssertAdeleMapped(await HttpAssert.OkJsonAsync(await PasswordAsync(DemoDirectory.Adele)));

        var answer = await BrowserAsync(DemoDirectory.Adele);
        AssertAdeleMapped(await HttpAssert.OkJsonAsync(await world.Tenant.TokenAsync(("grant_type", "authorization_code"),
            ("client_id", world.World.WebClientId), ("client_secret", world.World.WebClientSecret), ("code", answer["code"]),
            ("redirect_uri", WaadBrowserFixture.AppCallback))));

        var (page, poll) = await DeviceAsync(DemoDirectory.Adele);
        Assert.Contains("Device connected", page, StringComparison.Ordinal);
        AssertAdeleMapped(await HttpAssert.OkJsonAsync(poll));
    }

    [Fact]
    public async Task A_user_outside_the_allowed_roles_is_refused_on_every_path_with_no_code_and_a_failed_login_event()
    {
        var password = await HttpAssert.OAuthErrorAsync(await PasswordAsync(DemoDirectory.Megan), 403, "access_denied");
        Assert.Contains("limited to users with some roles or groups", password.GetProperty("error_description").GetString(), StringComparison.Ordinal);

        var answer = await BrowserAsync(DemoDirectory.Megan);
        Assert.Equal("access_denied", answer["error"]);
        Assert.Contains("limited to users with some roles or groups", answer["error_description"], StringComparison.Ordinal);
        Assert.False(answer.ContainsKey("code"));

        var (page, poll) = await DeviceAsync(DemoDirectory.Megan);
        Assert.Contains("limited to users with some roles or groups", page, StringComparison.Ordinal);
        await HttpAssert.OAuthErrorAsync(poll, 403, "access_denied");

        var refusals = (await world.Tenant.LogsOfTypeAsync("f")).Where(e => e.UserName == DemoDirectory.Megan).ToList();
        Assert.True(refusals.Count >= 3, $"one failed login per path, got {refusals.Count}");
        Assert.All(refusals, e => Assert.Contains("access rule: roles_or_groups", e.Details!.Value.GetRawText(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_group_left_at_azure_between_two_logins_takes_the_roles_away_at_the_next_login_on_every_path()
    {
        var first = await HttpAssert.OkJsonAsync(await PasswordAsync(DemoDirectory.Adele));
        AssertAdeleMapped(first);
        await world.SetMemberAsync(DemoDirectory.SalesWestGroupId, DemoDirectory.AdeleId, member: false);
        try
        {
            // Out of Sales West, so out of Sales: no role, so the apps let her in no more.
            await HttpAssert.OAuthErrorAsync(await PasswordAsync(DemoDirectory.Adele), 403, "access_denied");
            Assert.Equal("access_denied", (await BrowserAsync(DemoDirectory.Adele))["error"]);
            await HttpAssert.OAuthErrorAsync((await DeviceAsync(DemoDirectory.Adele)).Poll, 403, "access_denied");
            // The refresh token of the first login reads what the last login stored.
            await HttpAssert.OAuthErrorAsync(await world.Tenant.TokenAsync(("grant_type", "refresh_token"),
                ("client_id", world.Tenant.NativeClientId), ("refresh_token", first.GetProperty("refresh_token").GetString()!)), 403, "access_denied");

            // Put straight into Sales at Azure: the sales role again, not west.
            await world.SetMemberAsync(DemoDirectory.SalesGroupId, DemoDirectory.AdeleId, member: true);
            var again = Access(await HttpAssert.OkJsonAsync(await PasswordAsync(DemoDirectory.Adele)));
            Assert.Equal(["read:orders"], Strings(again, "permissions"));
            Assert.Equal(["sales"], Strings(again, DirectoryRulesFixture.Ns + "roles"));
        }
        finally
        {
            await world.SetMemberAsync(DemoDirectory.SalesWestGroupId, DemoDirectory.AdeleId, member: true);
            if (world.Emulator.Directory.Seed.Groups.Single(g => g.Id == DemoDirectory.SalesGroupId).Members.Contains(DemoDirectory.AdeleId))
                await world.SetMemberAsync(DemoDirectory.SalesGroupId, DemoDirectory.AdeleId, member: false);
        }
    }
}
