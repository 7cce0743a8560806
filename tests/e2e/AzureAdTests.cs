using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Storage;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

/// <summary>The walkthrough of docs/waad.md, from the dashboard: the first Azure AD connection, the refused second one, the Management API way round, Try.</summary>
[Collection(DashboardCollection.Name)]
public sealed class AzureAdTests(DashboardFixture fixture)
{
    private const string DashboardName = "contoso-onmicrosoft-com";

    [Fact]
    public async Task The_brief_walkthrough_first_connection_refused_second_Management_API_second_then_Try_both()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Enterprise" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create Microsoft Azure AD connection" }).ClickAsync();
        await FillAsync(page, DemoDirectory.TenantDomain, DemoDirectory.WebApiAppIdUri, DemoDirectory.NativeAppId, "any_value", groups: true);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Demo Native App" }).CheckAsync();
        await fixture.ScreenshotAsync(page, "20-azure-ad-create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status).First).ToHaveTextAsync($"Connection {DashboardName} created.");
        // Groups were asked for with a Web API App ID URI: the page says they will not come.
        await Assertions.Expect(page.GetByText("Users of this connection get no groups")).ToBeVisibleAsync();
        var created = (await fixture.Server.Store.GetConnectionByNameAsync(DashboardName, CancellationToken.None))!;
        Assert.DoesNotContain("any_value", created.Options.GetRawText(), StringComparison.Ordinal); // the secret is stored encrypted
        await fixture.ScreenshotAsync(page, "21-azure-ad-edit");

        await page.GetByRole(AriaRole.Link, new() { Name = "Preflight" }).ClickAsync();
        await Assertions.Expect(page.Locator("#preflight-summary")).ToContainTextAsync("accepts this connection");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "Native app registration (client_id)" })).ToContainTextAsync("OK");
        await fixture.ScreenshotAsync(page, "22-azure-ad-preflight");

        // The second connection for the same domain is refused, saying why and how.
        var before = await CountAsync();
        await page.GotoAsync("/dashboard/connections/enterprise/edit");
        await FillAsync(page, DemoDirectory.TenantDomain, "https://graph.microsoft.com", DemoDirectory.NativeAppId, "", groups: true);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Demo Native App" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var refusal = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(refusal).ToContainTextAsync($"A connection for {DemoDirectory.TenantDomain} already exists");
        await Assertions.Expect(refusal).ToContainTextAsync("Management API");
        await Assertions.Expect(page.Locator("#domain-error")).ToContainTextAsync(DashboardName);
        await fixture.ScreenshotAsync(page, "23-azure-ad-second-refused");
        Assert.Equal(before, await CountAsync());

        // The payload the dashboard shows creates it through the Management API.
        var curl = await page.Locator("#second-connection-curl").InnerTextAsync();
        Assert.Contains("api/v2/connections", curl, StringComparison.Ordinal);
        var payload = JsonNode.Parse(curl[(curl.IndexOf("-d '", StringComparison.Ordinal) + 4)..curl.LastIndexOf('\'')])!.AsObject();
        Assert.Equal("waad", payload["strategy"]!.GetValue<string>());
        Assert.Equal(DemoDirectory.TenantDomain, payload["options"]!["tenant_domain"]!.GetValue<string>());
        payload["name"] = "contoso-graph-api";
        using var api = await fixture.Server.CreateManagementClientAsync();
        var response = await api.PostAsJsonAsync("connections", payload);
        Assert.Equal(201, (int)response.StatusCode);
        await page.GotoAsync("/dashboard/connections/enterprise");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "contoso-graph-api" })).ToContainTextAsync(DemoDirectory.TenantDomain);
        await fixture.ScreenshotAsync(page, "29-azure-ad-connections");

        // Try each: the Web API app_id gives no groups (and says why), the Graph app_id gives Adele's groups.
        var webApi = await TryAsync(page, DashboardName, DemoDirectory.Adele);
        await Assertions.Expect(webApi.GetByRole(AriaRole.Heading, new() { Name = "Success" })).ToBeVisibleAsync();
        await Assertions.Expect(webApi.Locator("#no-groups")).ToContainTextAsync("is a Web API, not a Graph API");
        await Assertions.Expect(webApi.Locator("#access-token-payload")).ToContainTextAsync("waad|");
        await Assertions.Expect(webApi.Locator("#profile")).ToContainTextAsync("AdeleV@contoso.com");
        await fixture.ScreenshotAsync(page, "24-try-web-api");

        var graph = await TryAsync(page, "contoso-graph-api", DemoDirectory.Adele);
        await Assertions.Expect(graph.Locator("#groups li").First).ToBeVisibleAsync();
        Assert.True(await graph.Locator("#groups li").CountAsync() > 0);
        await fixture.ScreenshotAsync(page, "25-try-graph");

        // The legacy /oauth/ro endpoint, on the connection the dashboard made.
        await page.GotoAsync("/dashboard/try");
        await page.GetByLabel("Connection", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = DashboardName });
        await page.GetByLabel("Application").SelectOptionAsync(new SelectOptionValue { Label = "Demo Native App" });
        await page.GetByLabel("Username").FillAsync(DemoDirectory.Adele);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(DemoDirectory.PasswordOf(DemoDirectory.Adele));
        await page.GetByRole(AriaRole.Radio, new() { Name = "Legacy Resource Owner" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Try", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("#result").GetByRole(AriaRole.Heading, new() { Name = "Success" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#access-token-payload")).ToContainTextAsync("/userinfo"); // /oauth/ro tokens are for /userinfo
    }

    [Fact]
    public async Task A_failed_try_shows_the_callers_error_beside_the_upstream_AADSTS_detail_and_what_to_fix()
    {
        var page = await fixture.SignedInPageAsync();
        var result = await TryAsync(page, "contoso-native", DemoDirectory.MfaUser);
        await Assertions.Expect(result.Locator("#caller-error")).ToContainTextAsync("mfa_required");
        await Assertions.Expect(result.Locator("#caller-error")).Not.ToContainTextAsync("AADSTS");
        await Assertions.Expect(result.Locator("#upstream-detail")).ToContainTextAsync("aadsts=50076");
        await Assertions.Expect(result.Locator("#advice")).ToContainTextAsync("AADSTS50076");
        await fixture.ScreenshotAsync(page, "26-try-failed");

        var consent = await TryAsync(page, "contoso-native", DemoDirectory.Adele, "wrong-password");
        await Assertions.Expect(consent.Locator("#caller-error")).ToContainTextAsync("Wrong email or password.");
        await Assertions.Expect(consent.Locator("#advice")).ToContainTextAsync("AADSTS50126");
    }

    [Fact]
    public async Task Preflight_names_the_registration_Azure_refuses()
    {
        using var api = await fixture.Server.CreateManagementClientAsync();
        var response = await api.PostAsJsonAsync("connections", new
        {
            name = "contoso-wrong-client",
            strategy = "waad",
            options = new { tenant_domain = DemoDirectory.TenantDomain, app_id = DemoDirectory.WebApiAppIdUri, client_id = "00000000-1111-2222-3333-444444444444" },
        });
        var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync($"/dashboard/connections/preflight/{id}");
        await Assertions.Expect(page.Locator("#preflight-summary")).ToContainTextAsync("refuses");
        var row = page.GetByRole(AriaRole.Row, new() { Name = "Native app registration (client_id)" });
        await Assertions.Expect(row).ToContainTextAsync("Failed");
        await Assertions.Expect(row).ToContainTextAsync("700016");
        await fixture.ScreenshotAsync(page, "27-preflight-failed");
    }

    [Fact]
    public async Task Bad_Azure_AD_input_is_named_beside_its_field_and_creates_nothing()
    {
        var page = await fixture.SignedInPageAsync();
        var before = await CountAsync();
        await page.GotoAsync("/dashboard/connections/enterprise/edit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("#domain-error")).ToContainTextAsync("Enter the Azure AD domain");
        await Assertions.Expect(page.Locator("#client_id-error")).ToContainTextAsync("Enter the Client ID");

        await FillAsync(page, "not a domain!", "", "has spaces in it", "", groups: false);
        await page.GetByRole(AriaRole.Radio, new() { Name = "Azure Active Directory (v1.0)" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("#domain-error")).ToContainTextAsync("tenant_domain");
        await Assertions.Expect(page.Locator("#client_id-error")).ToContainTextAsync("client_id");
        await Assertions.Expect(page.Locator("#app_id-error")).ToContainTextAsync("app_id is required");
        await Assertions.Expect(page.GetByLabel("Client ID", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        await fixture.ScreenshotAsync(page, "28-azure-ad-bad-input");
        Assert.Equal(before, await CountAsync());
    }

    private async Task<int> CountAsync() =>
        (await fixture.Server.Store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), CancellationToken.None)).Total;

    private static async Task FillAsync(IPage page, string domain, string appId, string clientId, string secret, bool groups)
    {
        await page.GetByLabel("Microsoft Azure AD Domain", new() { Exact = true }).FillAsync(domain);
        await page.GetByLabel("App ID URI", new() { Exact = true }).FillAsync(appId);
        await page.GetByLabel("Client ID", new() { Exact = true }).FillAsync(clientId);
        await page.GetByLabel("Client Secret", new() { Exact = true }).FillAsync(secret);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Groups" }).SetCheckedAsync(groups);
    }

    private static async Task<ILocator> TryAsync(IPage page, string connection, string username, string? password = null)
    {
        await page.GotoAsync("/dashboard/try");
        await page.GetByLabel("Connection", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Value = connection });
        await page.GetByLabel("Application", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Demo Native App" });
        await page.GetByLabel("Username", new() { Exact = true }).FillAsync(username);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(password ?? DemoDirectory.PasswordOf(username));
        await page.GetByRole(AriaRole.Button, new() { Name = "Try", Exact = true }).ClickAsync();
        return page.Locator("#result");
    }
}
