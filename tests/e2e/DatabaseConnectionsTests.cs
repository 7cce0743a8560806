using Gatehouse.Connections.Database;
using Gatehouse.Core.Storage;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class DatabaseConnectionsTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Create_edit_enable_and_delete_a_database_connection_and_bad_names_change_nothing()
    {
        var store = fixture.Server.Store;
        var page = await fixture.SignedInPageAsync();
        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Database" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Create database connection" }).ClickAsync();

        var before = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), CancellationToken.None)).Total;
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("bad--name");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.Locator("#name-error")).ToContainTextAsync("does not match pattern");
        await Assertions.Expect(page.GetByLabel("Name", new() { Exact = true })).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Equal(before, (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), CancellationToken.None)).Total);

        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("staff-db");
        await page.GetByLabel("Password policy").SelectOptionAsync("excellent");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "Demo Native App" }).CheckAsync();
        await fixture.ScreenshotAsync(page, "30-database-create");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Connection staff-db created.");
        var created = (await store.GetConnectionByNameAsync("staff-db", CancellationToken.None))!;
        Assert.Equal("excellent", DatabaseConnectionOptions.Parse(created.Options).PasswordPolicy);
        Assert.Single(created.EnabledClients);

        await page.GetByLabel("Requires a username").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Connection saved.");
        Assert.True(DatabaseConnectionOptions.Parse((await store.GetConnectionByNameAsync("staff-db", CancellationToken.None))!.Options).RequiresUsername);

        await page.GotoAsync("/dashboard/connections/database");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "staff-db" })).ToContainTextAsync("excellent");
        await fixture.ScreenshotAsync(page, "31-database-connections");

        await page.GetByRole(AriaRole.Link, new() { Name = "staff-db" }).ClickAsync();
        page.Dialog += (_, dialog) => dialog.AcceptAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete connection" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("deleted");
        Assert.Null(await store.GetConnectionByNameAsync("staff-db", CancellationToken.None));
    }
}
