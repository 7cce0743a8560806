using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

/// <summary>
/// Azure AD users through the browser in Chromium, against the demo's in-process emulator: a waad connection on the
/// emulator's Web app registration (Gatehouse Backend, reply URL https://127.0.0.1/login/callback on any port), the
/// emulator's own sign-in and MFA pages (the code from its admin API, GET /_emulator/mfa-codes/{upn}), Azure's
/// form_post to /login/callback, the app's code exchange; home realm discovery from the login page; logout, federated
/// and not. The protocol details and hostile cases are in tests/Gatehouse.Server.Tests/BrowserSignIn.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class AzureBrowserSignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task An_Azure_user_with_MFA_signs_in_at_the_emulator_and_logs_out_federated()
    {
        var app = await WebAppAsync();
        var (status, refusal) = await app.PasswordLoginAsync(DemoDirectory.MfaUser);
        Assert.Equal((403, "mfa_required"), (status, refusal.GetProperty("error").GetString()));

        var page = await fixture.NewPageAsync();
        await page.GotoAsync(app.AuthorizeUrl("&connection=" + app.Connection));
        Assert.StartsWith(Emulator, page.Url, StringComparison.Ordinal);
        await page.Locator("#i0116").FillAsync(DemoDirectory.MfaUser);
        await page.Locator("#i0118").FillAsync(DemoDirectory.PasswordOf(DemoDirectory.MfaUser));
        await page.Locator("#idSIButton9").ClickAsync();
        await Assertions.Expect(page.Locator("#mfaForm")).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "55-azure-mfa");

        var mfa = await page.Context.APIRequest.GetAsync($"{Emulator}_emulator/mfa-codes/{Uri.EscapeDataString(DemoDirectory.MfaUser)}");
        Assert.True(mfa.Ok, $"no pending MFA code: {mfa.Status}");
        var code = (await mfa.JsonAsync())!.Value.GetProperty("code").GetString()!;
        await page.Locator("#idTxtBx_SAOTCC_OTC").FillAsync(code);
        var tokens = await app.RedeemAsync(await app.CallbackAfterAsync(page, () => page.Locator("#idSubmit_SAOTCC_Continue").ClickAsync()));

        var userId = app.Subject(tokens);
        using var management = await fixture.Server.CreateManagementClientAsync();
        var user = await management.GetFromJsonAsync<JsonElement>("users/" + Uri.EscapeDataString(userId));
        Assert.Equal(DemoDirectory.MfaUser, user.GetProperty("email").GetString(), ignoreCase: true);
        Assert.Equal(app.Connection, user.GetProperty("identities")[0].GetProperty("connection").GetString());

        // Federated: Gatehouse ends its session, then sends the browser to Azure AD's logout with the checked returnTo.
        var tab = await page.Context.NewPageAsync();
        var toAzure = await tab.RunAndWaitForRequestAsync(
            () => Navigate(tab, $"/v2/logout?federated&client_id={app.ClientId}&returnTo={Uri.EscapeDataString(app.LogoutUrl)}"),
            r => r.Url.StartsWith(Emulator, StringComparison.Ordinal) && r.Url.Contains("/logout", StringComparison.Ordinal));
        Assert.Equal(app.LogoutUrl, HttpUtility.ParseQueryString(new Uri(toAzure.Url).Query)["post_logout_redirect_uri"]);
        Assert.DoesNotContain(await page.Context.CookiesAsync([fixture.Server.BaseUrl]), c => c.Name == "auth0");
    }

    [Fact]
    public async Task Home_realm_discovery_sends_an_Azure_email_to_the_emulator_and_gives_the_password_grants_user_id()
    {
        var app = await WebAppAsync();
        var (status, password) = await app.PasswordLoginAsync(DemoDirectory.Adele);
        Assert.True(status == 200, password.ToString());

        var page = await fixture.NewPageAsync();
        await page.GotoAsync(app.AuthorizeUrl(""));
        Assert.StartsWith(fixture.Server.BaseUrl + "/u/login?state=", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Continue with Contoso Web" })).ToBeVisibleAsync();
        await page.GetByLabel("Email address").FillAsync(DemoDirectory.Adele);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continue", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(Emulator, StringComparison.Ordinal));
        await page.Locator("#i0116").FillAsync(DemoDirectory.Adele);
        await page.Locator("#i0118").FillAsync(DemoDirectory.PasswordOf(DemoDirectory.Adele));
        var tokens = await app.RedeemAsync(await app.CallbackAfterAsync(page, () => page.Locator("#idSIButton9").ClickAsync()));

        Assert.Equal(app.Subject(password), app.Subject(tokens));

        // Not federated: the Gatehouse session ends and the browser goes straight back to the app.
        var tab = await page.Context.NewPageAsync();
        var back = await tab.RunAndWaitForRequestAsync(
            () => Navigate(tab, $"/v2/logout?client_id={app.ClientId}&returnTo={Uri.EscapeDataString(app.LogoutUrl)}"),
            r => r.Url == app.LogoutUrl);
        Assert.Equal(app.LogoutUrl, back.Url);
        Assert.DoesNotContain(await page.Context.CookiesAsync([fixture.Server.BaseUrl]), c => c.Name == "auth0");
    }

    /// <summary>
    /// Sends a tab to Gatehouse's <paramref name="path"/> without waiting for a page: where it ends (the app's URL) has no
    /// server. A new tab of the same browser (same cookies): the sign-in tab may still be loading the app's callback.
    /// </summary>
    private async Task Navigate(IPage page, string path) =>
        await page.EvaluateAsync("url => { setTimeout(() => { location.href = url; }, 0); }", fixture.Server.BaseUrl + path);

    private string Emulator => fixture.Demo.GetProperty("azure_ad").GetProperty("emulator").GetString()!;

    /// <summary>A regular web app and a waad connection of its own (v2, the emulator's Web app registration, contoso.com claimed).</summary>
    private async Task<WebApp> WebAppAsync()
    {
        using var management = await fixture.Server.CreateManagementClientAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var callback = $"{fixture.Server.BaseUrl}/e2e/azure-{suffix}/callback";
        var logout = $"{fixture.Server.BaseUrl}/e2e/azure-{suffix}/signed-out";
        var client = await CreatedAsync(management, "clients", new
        {
            name = "Azure Web " + suffix, app_type = "regular_web", token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code", "http://auth0.com/oauth/grant-type/password-realm" },
            callbacks = new[] { callback }, allowed_logout_urls = new[] { logout },
        });
        var clientId = client.GetProperty("client_id").GetString()!;
        var connection = "azure-web-" + suffix;
        await CreatedAsync(management, "connections", new
        {
            name = connection, strategy = "waad", display_name = "Contoso Web", enabled_clients = new[] { clientId },
            options = new
            {
                client_id = DemoDirectory.ConfidentialAppId, client_secret = DemoDirectory.ConfidentialSecret,
                tenant_domain = DemoDirectory.TenantDomain, domain_aliases = new[] { "contoso.com" },
            },
        });
        return new WebApp(fixture, clientId, client.GetProperty("client_secret").GetString()!, connection, callback, logout);
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient management, string path, object body)
    {
        var response = await management.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    private sealed record WebApp(DashboardFixture Fixture, string ClientId, string ClientSecret, string Connection, string Callback, string LogoutUrl)
    {
        public string AuthorizeUrl(string extra) =>
            $"/authorize?response_type=code&client_id={ClientId}&redirect_uri={Uri.EscapeDataString(Callback)}&state=azure-state&scope=openid%20profile%20email{extra}";

        /// <summary>The code on the app's callback that <paramref name="action"/> leads to (no app listens there: the request is what counts).</summary>
        public async Task<string> CallbackAfterAsync(IPage page, Func<Task> action)
        {
            var toApp = await page.RunAndWaitForRequestAsync(action, r => r.Url.StartsWith(Callback + "?", StringComparison.Ordinal),
                new() { Timeout = 20_000 });
            var answer = HttpUtility.ParseQueryString(new Uri(toApp.Url).Query);
            Assert.True(answer["code"] is not null, "no code: " + toApp.Url);
            Assert.Equal(("azure-state", Fixture.Server.Issuer), (answer["state"], answer["iss"]));
            return answer["code"]!;
        }

        public async Task<JsonElement> RedeemAsync(string code)
        {
            var (status, body) = await TokenAsync(("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Callback));
            Assert.True(status == 200, body.ToString());
            return body;
        }

        public Task<(int, JsonElement)> PasswordLoginAsync(string upn) => TokenAsync(
            ("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("realm", Connection), ("username", upn),
            ("password", DemoDirectory.PasswordOf(upn)), ("scope", "openid profile email"));

        public string Subject(JsonElement tokens)
        {
            var payload = tokens.GetProperty("id_token").GetString()!.Split('.')[1];
            var json = Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + (4 - payload.Length % 4) % 4, '='));
            return JsonDocument.Parse(json).RootElement.GetProperty("sub").GetString()!;
        }

        private async Task<(int, JsonElement)> TokenAsync(params (string Key, string Value)[] fields)
        {
            var form = fields.Append(("client_id", ClientId)).Append(("client_secret", ClientSecret)).Select(f => KeyValuePair.Create(f.Item1, f.Item2));
            using var response = await Fixture.Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(form));
            return ((int)response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());
        }
    }
}
