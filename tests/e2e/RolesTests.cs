using System.Net.Http.Json;
using Gatehouse.Core.Storage;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class RolesTests(DashboardFixture fixture)
{
    [Fact]
    public async Task A_role_is_created_given_a_permission_and_a_user_from_the_pages()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var (name, api) = ("readers-" + suffix, $"https://e2e-{suffix}.example/");
        using var management = await fixture.Server.CreateManagementClientAsync();
        (await management.PostAsJsonAsync("resource-servers", new
        {
            identifier = api, name = "E2E API " + suffix, scopes = new[] { new { value = "read:reports", description = "Read reports" } },
        })).EnsureSuccessStatusCode();
        var user = await management.PostAsJsonAsync("users", new { connection = "Username-Password-Authentication", email = $"roles-{suffix}@example.com", password = "Roles-E2e-Passw0rd!" });
        user.EnsureSuccessStatusCode();
        var userId = (await user.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("user_id").GetString()!;

        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Roles", Exact = true }).ClickAsync();
        // An empty name is named beside its field, with the field marked invalid.
        await page.GetByRole(AriaRole.Button, new() { Name = "Create role" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToHaveTextAsync("Enter a name.");
        await Assertions.Expect(page.GetByLabel("Name")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByLabel("Name").FillAsync(name);
        await page.GetByLabel("Description").FillAsync("Reads the reports");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create role" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = name })).ToBeVisibleAsync();

        await page.GetByLabel("Add a permission").SelectOptionAsync(new SelectOptionValue { Value = api + " read:reports" });
        await page.GetByRole(AriaRole.Button, new() { Name = "Add permission" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Permission added.");
        await Assertions.Expect(page.Locator("#role-permissions")).ToContainTextAsync("read:reports");
        await page.GetByLabel("Add a user by user ID").FillAsync(userId);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(page.Locator("#role-users")).ToContainTextAsync($"roles-{suffix}@example.com");
        await fixture.ScreenshotAsync(page, "70-role-edit");

        var role = (await fixture.Server.Store.ListRolesAsync(new RoleQuery(name, PageRequest.All), CancellationToken.None)).Items.Single();
        Assert.Equal(new Permission(api, "read:reports"),
            Assert.Single((await fixture.Server.Store.ListRolePermissionsAsync(role.Id, PageRequest.All, CancellationToken.None)).Items));
    }
}
