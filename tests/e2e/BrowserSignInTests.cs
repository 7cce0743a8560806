using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

/// <summary>
/// The whole browser sign-in in Chromium: the app sends the browser to /authorize, the hosted login page signs the
/// database user in, the app's callback gets a code it redeems at /oauth/token, and /v2/logout ends the session (its returnTo rules: tests/Gatehouse.Server.Tests/Login/LogoutTests.cs).
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class BrowserSignInTests(DashboardFixture fixture)
{
    private const string Password = "Br0wser-Flow!";

    [Fact]
    public async Task A_database_user_signs_in_through_the_login_page_and_the_app_redeems_the_code()
    {
        using var management = await fixture.Server.CreateManagementClientAsync();
        var callback = fixture.Server.BaseUrl + "/e2e/callback";
        var client = await CreatedAsync(management, "clients", new
        {
            name = "E2E Web App",
            app_type = "regular_web",
            token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code" },
            callbacks = new[] { callback },
        });
        var clientId = client.GetProperty("client_id").GetString()!;
        var connection = "e2e-login-" + Guid.NewGuid().ToString("N")[..8];
        await CreatedAsync(management, "connections", new { name = connection, strategy = "auth0", enabled_clients = new[] { clientId } });
        var email = $"{connection}@example.com";
        await CreatedAsync(management, "users", new { connection, email, password = Password, email_verified = true });

        var page = await fixture.NewPageAsync();
        await page.GotoAsync($"/authorize?response_type=code&client_id={clientId}&redirect_uri={Uri.EscapeDataString(callback)}&state=e2e-state&scope=openid%20email");
        Assert.StartsWith(fixture.Server.BaseUrl + "/u/login?state=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("E2E Web App")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "50-login-page");

        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong email or password.");

        // Keyboard only: the email is kept, the password field takes the focus by Tab order.
        await page.GetByLabel("Password").FocusAsync();
        await page.Keyboard.TypeAsync(Password);
        // No app listens at the callback: what matters is the request the browser makes to it.
        var toApp = await page.RunAndWaitForRequestAsync(() => page.Keyboard.PressAsync("Enter"),
            r => r.Url.StartsWith(callback + "?", StringComparison.Ordinal));
        var answer = System.Web.HttpUtility.ParseQueryString(new Uri(toApp.Url).Query);
        Assert.Equal("e2e-state", answer["state"]);
        Assert.Equal(fixture.Server.Issuer, answer["iss"]);

        var session = (await page.Context.CookiesAsync()).Single(c => c.Name == "auth0");
        Assert.True(session.HttpOnly);
        Assert.True(session.Secure);
        Assert.Equal(SameSiteAttribute.None, session.SameSite);

        var tokens = await fixture.Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["client_id"] = clientId,
            ["client_secret"] = client.GetProperty("client_secret").GetString()!,
            ["code"] = answer["code"]!,
            ["redirect_uri"] = callback,
        }));
        var body = await tokens.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(tokens.IsSuccessStatusCode, body.ToString());
        Assert.True(body.TryGetProperty("id_token", out _));

        await page.GotoAsync("/v2/logout");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You are signed out" })).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "auth0");
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient management, string path, object body)
    {
        var response = await management.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {json}");
        return json;
    }
}
