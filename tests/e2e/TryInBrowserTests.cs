using System.Net.Http.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Gatehouse.Server.Hosting;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

/// <summary>
/// The Try page's "Try in the browser" in Chromium: the administrator picks a connection, signs in at its page (the
/// emulator's Azure AD sign-in, or Gatehouse's login page for a database connection) and comes back to the dashboard with
/// the user's profile and tokens. The protocol and hostile cases are in tests/Gatehouse.Server.Tests/Dashboard/TryInBrowserTests.cs.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class TryInBrowserTests(DashboardFixture fixture)
{
    [Fact]
    public async Task An_administrator_tries_contoso_in_the_browser_and_sees_the_users_profile()
    {
        var page = await fixture.SignedInPageAsync();
        await StartAsync(page, DemoSeeder.BrowserWaadConnection);
        await page.WaitForURLAsync(url => url.StartsWith(Emulator, StringComparison.Ordinal));
        await SignInAtEmulatorAsync(page);

        await page.WaitForURLAsync(url => url.StartsWith(fixture.Server.BaseUrl + "/dashboard/try/callback?", StringComparison.Ordinal));
        await ExpectProfileAsync(page, DemoDirectory.Adele, DemoSeeder.BrowserWaadConnection);
        await Assertions.Expect(page.Locator("#id-token-payload")).ToContainTextAsync("\"nonce\"");
        await fixture.ScreenshotAsync(page, "60-try-in-the-browser");
    }

    [Fact]
    public async Task The_return_through_another_site_still_reaches_the_signed_in_dashboard()
    {
        // Azure AD's real page is another site, and so is the redirect chain it starts: Chromium then withholds the
        // dashboard's SameSite=Strict session cookie. The emulator is on 127.0.0.1 like Gatehouse (the same site), so the
        // return is replayed here from a page of another site.
        var page = await fixture.SignedInPageAsync();
        await StartAsync(page, DemoSeeder.BrowserWaadConnection);
        await page.WaitForURLAsync(url => url.StartsWith(Emulator, StringComparison.Ordinal));
        // Playwright routes see only the first URL of a redirect chain: hold Gatehouse's /login/callback, which answers
        // with the redirect to the dashboard, and keep that URL instead of following it.
        var returned = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/login/callback**", async route =>
        {
            var answer = await route.FetchAsync(new RouteFetchOptions { MaxRedirects = 0 });
            returned.TrySetResult(new Uri(new Uri(fixture.Server.Issuer), answer.Headers["location"]).AbsoluteUri);
            await route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = "<!DOCTYPE html><p>held</p>" });
        });
        await SignInAtEmulatorAsync(page);
        var callback = await returned.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.StartsWith(fixture.Server.BaseUrl + "/dashboard/try/callback?", callback, StringComparison.Ordinal);
        await page.UnrouteAsync("**/login/callback**");

        await page.RouteAsync("https://elsewhere.test/**", route => route.FulfillAsync(new RouteFulfillOptions
        {
            ContentType = "text/html",
            Body = $"<!DOCTYPE html><a id=\"back\" href=\"{System.Net.WebUtility.HtmlEncode(callback)}\">back</a>",
        }));
        var arrivals = new List<IResponse>();
        page.Response += (_, response) =>
        {
            if (response.Url.StartsWith(fixture.Server.BaseUrl + "/dashboard/try/callback", StringComparison.Ordinal))
                arrivals.Add(response);
        };
        await page.GotoAsync("https://elsewhere.test/");
        await page.Locator("#back").ClickAsync();

        await ExpectProfileAsync(page, DemoDirectory.Adele, DemoSeeder.BrowserWaadConnection);
        // The first arrival came without the session cookie and was sent again, unchanged, from the dashboard's own
        // origin (a result page never reloads itself, and a signed-out one would have gone to the sign-in page).
        Assert.Equal([(callback, 200), (callback, 200)], arrivals.Select(r => (r.Url, r.Status)));
    }

    [Fact]
    public async Task A_database_connection_is_tried_through_the_login_page()
    {
        using var management = await fixture.Server.CreateManagementClientAsync();
        var connection = "try-db-" + Guid.NewGuid().ToString("N")[..8];
        var email = connection + "@example.com";
        const string password = "Tr1ed-in-Browser!";
        (await management.PostAsJsonAsync("connections", new { name = connection, strategy = "auth0" })).EnsureSuccessStatusCode();
        (await management.PostAsJsonAsync("users", new { connection, email, password, email_verified = true })).EnsureSuccessStatusCode();

        var page = await fixture.SignedInPageAsync();
        await StartAsync(page, connection);
        await page.WaitForURLAsync(url => url.StartsWith(fixture.Server.BaseUrl + "/u/login?state=", StringComparison.Ordinal));
        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await ExpectProfileAsync(page, email, connection);
        // The dashboard's Try application was enabled on the new connection, and the page says so.
        await Assertions.Expect(page.Locator("#enabled-notice")).ToContainTextAsync(connection);
    }

    private string Emulator => fixture.Demo.GetProperty("azure_ad").GetProperty("emulator").GetString()!;

    private static async Task StartAsync(IPage page, string connection)
    {
        await page.GotoAsync("/dashboard/try");
        await page.GetByLabel("Sign in through").SelectOptionAsync(new SelectOptionValue { Value = connection });
        await page.GetByRole(AriaRole.Button, new() { Name = "Try in the browser" }).ClickAsync();
    }

    private static async Task SignInAtEmulatorAsync(IPage page)
    {
        await page.Locator("#i0116").FillAsync(DemoDirectory.Adele);
        await page.Locator("#i0118").FillAsync(DemoDirectory.PasswordOf(DemoDirectory.Adele));
        await page.Locator("#idSIButton9").ClickAsync();
    }

    private static async Task ExpectProfileAsync(IPage page, string email, string connection)
    {
        await Assertions.Expect(page.Locator("#result").GetByRole(AriaRole.Heading, new() { Name = "Success" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#user-email")).ToHaveTextAsync(email, new() { IgnoreCase = true });
        await Assertions.Expect(page.Locator("#user-connection")).ToHaveTextAsync(connection);
        await Assertions.Expect(page.Locator("#user-id")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#access-token-payload")).ToBeVisibleAsync();
    }
}
