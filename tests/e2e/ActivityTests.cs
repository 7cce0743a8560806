using System.Net;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

/// <summary>What happened: logins made by an app show on the home charts, the logs page and the users pages.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ActivityTests(DashboardFixture fixture)
{
    private Task<HttpResponseMessage> LoginAsync(string username, string password, string realm = "contoso-native") =>
        fixture.Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "http://auth0.com/oauth/grant-type/password-realm",
            ["client_id"] = fixture.Demo.GetProperty("native_client_id").GetString()!,
            ["realm"] = realm,
            ["username"] = username,
            ["password"] = password,
            ["scope"] = "openid profile email",
        }));

    [Fact]
    public async Task Logins_show_on_the_home_charts_and_the_logs_page_with_each_event_in_full()
    {
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(DemoDirectory.Adele, DemoDirectory.PasswordOf(DemoDirectory.Adele))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(DemoDirectory.Adele, DemoDirectory.PasswordOf(DemoDirectory.Adele), "contoso-graph")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await LoginAsync(DemoDirectory.BlockedUser, DemoDirectory.PasswordOf(DemoDirectory.BlockedUser))).StatusCode);

        var page = await fixture.SignedInPageAsync();
        await Assertions.Expect(page.Locator("#chart-logins rect title").Filter(new() { HasText = "contoso-native" }).First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#chart-logins rect title").Filter(new() { HasText = "contoso-graph" }).First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#chart-failures rect title").Filter(new() { HasText = "conditional access" }).First).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("#chart-latency")).ToContainTextAsync("contoso-native");
        Assert.True(int.Parse(await page.Locator("#logins-total").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) >= 2);
        await Assertions.Expect(page.GetByRole(AriaRole.Img, new() { Name = "Successful logins by connection" })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "40-home");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Logs" }).ClickAsync();
        await page.GetByLabel("Connection").SelectOptionAsync("contoso-native");
        await page.GetByLabel("Type").SelectOptionAsync("sepft");
        await page.GetByLabel("User").FillAsync("adelev");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        var rows = page.Locator("table tbody tr");
        await Assertions.Expect(rows.First).ToContainTextAsync("contoso-native");
        foreach (var row in await rows.AllAsync())
        {
            await Assertions.Expect(row).ToContainTextAsync("sepft");
            await Assertions.Expect(row).ToContainTextAsync("contoso-native");
        }
        await fixture.ScreenshotAsync(page, "41-logs-filtered");

        // A time window before any of this shows nothing; a bad date is named beside its field.
        await page.GotoAsync("/dashboard/logs?to=2000-01-01T00:00");
        await Assertions.Expect(page.Locator("#log-count")).ToHaveTextAsync("0 events");
        await page.GotoAsync("/dashboard/logs?from=yesterday");
        await Assertions.Expect(page.Locator("#from-error")).ToContainTextAsync("Enter a date and time");

        await page.GotoAsync("/dashboard/logs?type=f&connection=contoso-native");
        await page.Locator("table tbody tr").Filter(new() { HasText = "conditional access" }).First.GetByRole(AriaRole.Link).ClickAsync();
        await Assertions.Expect(page.Locator("#log-upstream-detail")).ToContainTextAsync("aadsts=53003");
        await Assertions.Expect(page.Locator("#log-json")).ToContainTextAsync("\"elapsed_ms\"");
        await Assertions.Expect(page.GetByText("What to fix")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "42-log-detail");
    }

    [Fact]
    public async Task Users_can_be_found_viewed_blocked_unblocked_and_deleted()
    {
        var password = DemoDirectory.PasswordOf(DemoDirectory.Megan);
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(DemoDirectory.Megan, password)).StatusCode);

        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await page.GetByLabel("Search", new() { Exact = true }).FillAsync("meganb");
        await page.GetByLabel("Connection").SelectOptionAsync("contoso-native");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Assertions.Expect(page.Locator("#user-count")).ToHaveTextAsync("1 users");
        await fixture.ScreenshotAsync(page, "50-users");
        await page.GetByRole(AriaRole.Link, new() { Name = "MeganB@contoso.com" }).ClickAsync();
        await Assertions.Expect(page.Locator("#logins-count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#user-groups")).ToContainTextAsync("none");
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = "contoso-native", Exact = true })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "51-user");

        await page.GetByRole(AriaRole.Button, new() { Name = "Block" }).ClickAsync();
        await Assertions.Expect(page.Locator("#blocked-badge")).ToBeVisibleAsync();
        var blocked = await LoginAsync(DemoDirectory.Megan, password);
        Assert.Equal(HttpStatusCode.Unauthorized, blocked.StatusCode);
        Assert.Contains("user is blocked", await blocked.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Unblock" }).ClickAsync();
        await Assertions.Expect(page.Locator("#blocked-badge")).Not.ToBeVisibleAsync();
        Assert.Equal(HttpStatusCode.OK, (await LoginAsync(DemoDirectory.Megan, password)).StatusCode);

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete user" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("deleted");
        await page.GotoAsync("/dashboard/users?q=meganb&connection=contoso-native");
        await Assertions.Expect(page.Locator("#user-count")).ToHaveTextAsync("0 users");
    }
}
