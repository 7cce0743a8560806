using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class ApplicationsTests(DashboardFixture fixture)
{
    private IGatehouseStore Store => fixture.Server.Store;

    [Fact]
    public async Task A_native_application_gets_Auth0_defaults_then_the_password_grants_and_a_connection()
    {
        var name = "Native " + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Applications", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create application" }).ClickAsync();
        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Native native").CheckAsync();
        await fixture.ScreenshotAsync(page, "10-application-create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();

        // The Management API sees what the dashboard made, with Auth0's native defaults.
        var clientId = await page.Locator("#client-id").InnerTextAsync();
        using var api = await fixture.Server.CreateManagementClientAsync();
        var created = await api.GetFromJsonAsync<JsonElement>($"clients/{clientId}");
        Assert.Equal("none", created.GetProperty("token_endpoint_auth_method").GetString());
        Assert.Equal(["authorization_code", "implicit", "refresh_token"], created.GetProperty("grant_types").EnumerateArray().Select(g => g.GetString()));

        await page.GetByLabel("Password Realm").CheckAsync();
        await page.GetByLabel("Legacy /oauth/ro").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save grant types" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Grant types saved.");
        var client = (await Store.GetClientAsync(clientId, CancellationToken.None))!;
        Assert.Contains(GrantTypes.PasswordRealm, client.GrantTypes);
        Assert.Contains(GrantTypes.LegacyRo, client.GrantTypes);

        await page.GetByLabel("contoso-native").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save connections" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Connections saved.");
        Assert.Contains(clientId, (await Store.GetConnectionByNameAsync("contoso-native", CancellationToken.None))!.EnabledClients);
        await fixture.ScreenshotAsync(page, "11-application-edit");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Applications", Exact = true }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = name })).ToContainTextAsync("contoso-native");
        await fixture.ScreenshotAsync(page, "12-applications");
    }

    [Fact]
    public async Task Bad_input_is_named_beside_its_field_and_changes_nothing()
    {
        var page = await fixture.SignedInPageAsync();
        var before = (await Store.ListClientsAsync(PageRequest.All, CancellationToken.None)).Total;
        await page.GotoAsync("/dashboard/applications/create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToHaveTextAsync("Enter a name.");
        await Assertions.Expect(page.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.GetByLabel("Name").FillAsync("<script>");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToContainTextAsync("does not match pattern");
        await fixture.ScreenshotAsync(page, "13-application-create-bad-input");
        Assert.Equal(before, (await Store.ListClientsAsync(PageRequest.All, CancellationToken.None)).Total);

        // A public (native) application cannot be given client credentials: refused beside the grant list, nothing saved.
        var native = (await Store.ListClientsAsync(PageRequest.All, CancellationToken.None)).Items.First(c => c.Name == "Demo Native App");
        await page.GotoAsync($"/dashboard/applications/edit/{native.ClientId}");
        await page.GetByLabel("Client Credentials").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save grant types" }).ClickAsync();
        await Assertions.Expect(page.Locator("#grant_types-error")).ToContainTextAsync("Client Credentials needs a confidential application");
        Assert.Equal(native.GrantTypes, (await Store.GetClientAsync(native.ClientId, CancellationToken.None))!.GrantTypes);
    }

    [Fact]
    public async Task Rotating_a_secret_shows_the_new_one_once_and_the_old_one_stops_working()
    {
        var page = await fixture.SignedInPageAsync();
        await page.GotoAsync("/dashboard/applications/create");
        await page.GetByLabel("Name").FillAsync("M2M " + Guid.NewGuid().ToString("N")[..6]);
        await page.GetByLabel("Machine to Machine").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        var clientId = await page.Locator("#client-id").InnerTextAsync();
        var oldSecret = await page.Locator("#client-secret").TextContentAsync();

        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Secret rotated");
        var newSecret = await page.Locator("#client-secret").InnerTextAsync();
        Assert.NotEqual(oldSecret, newSecret);

        var refused = await fixture.Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = clientId, ["client_secret"] = oldSecret!, ["audience"] = fixture.Server.ManagementAudience,
        }));
        Assert.Equal(401, (int)refused.StatusCode);
    }
}
