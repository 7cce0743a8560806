using Gatehouse.Dashboard.Tests.Infrastructure;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Server.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class SignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task Pages_need_a_session_and_the_sign_in_form_refuses_a_wrong_password()
    {
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/applications");
        Assert.StartsWith(fixture.Server.BaseUrl + "/dashboard/signin", page.Url, StringComparison.Ordinal);
        await fixture.ScreenshotAsync(page, "00-sign-in");

        await page.GetByLabel("Email").FillAsync(fixture.AdminEmail);
        await page.GetByLabel("Password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Wrong email or password.");

        await page.GetByLabel("Password").FillAsync(fixture.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Back where the administrator was going.
        await page.WaitForURLAsync(fixture.Server.BaseUrl + "/dashboard/applications");
        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "gatehouse_dashboard");
        Assert.True(cookie.HttpOnly);
        Assert.True(cookie.Secure);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.Equal("/dashboard", cookie.Path);
        Assert.Equal(-1, cookie.Expires); // a session cookie: closing the browser ends it

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(fixture.Server.BaseUrl + "/dashboard/signin");
        await page.GotoAsync("/dashboard");
        Assert.StartsWith(fixture.Server.BaseUrl + "/dashboard/signin", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_administrator_is_written_once_to_bootstrap_json_and_signs_in_with_the_keyboard_alone()
    {
        var bootstrap = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(fixture.Server.DataDir, Bootstrapper.BootstrapFileName))).RootElement;
        var admin = bootstrap.GetProperty(FirstAdministrator.BootstrapKey);
        Assert.Equal(fixture.AdminEmail, admin.GetProperty("email").GetString());
        Assert.Equal(fixture.AdminPassword, admin.GetProperty("password").GetString());
        Assert.True(bootstrap.TryGetProperty("client_secret", out _)); // the management credentials are still there

        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/signin");
        await Assertions.Expect(page.GetByLabel("Email")).ToBeFocusedAsync(); // the form's first field has the focus
        await page.Keyboard.TypeAsync(fixture.AdminEmail);
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.TypeAsync(fixture.AdminPassword);
        await Assertions.Expect(page.GetByLabel("Email")).ToHaveValueAsync(fixture.AdminEmail);
        await Assertions.Expect(page.GetByLabel("Password")).ToHaveValueAsync(fixture.AdminPassword);
        await Assertions.Expect(page.GetByLabel("Password")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(fixture.Server.BaseUrl + "/dashboard");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Home", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Five_failures_lock_the_form_for_that_email_even_with_the_right_password()
    {
        var (admin, password) = await fixture.Server.Services.GetRequiredService<AdministratorAccounts>()
            .CreateAsync(AdminCommand.Actor, "locked-" + Guid.NewGuid().ToString("N")[..8] + "@example.com", CancellationToken.None);
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("/dashboard/signin");
        for (var i = 0; i < SignInThrottle.MaxFailures; i++)
        {
            await page.GetByLabel("Email").FillAsync(admin.Email);
            await page.GetByLabel("Password").FillAsync("wrong-" + i);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
        }
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Too many failed sign-ins");
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Name == "gatehouse_dashboard");
        await fixture.ScreenshotAsync(page, "01-sign-in-locked");
    }

    [Fact]
    public async Task A_form_posted_without_its_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var page = await fixture.SignedInPageAsync();
        var before = (await fixture.Server.Store.ListClientsAsync(Core.Storage.PageRequest.All, CancellationToken.None)).Total;
        var response = await page.Context.APIRequest.PostAsync("/dashboard/applications/create", new()
        {
            Form = page.Context.APIRequest.CreateFormData().Set("name", "Forged").Set("appType", "native"),
        });
        Assert.Equal(400, response.Status);
        Assert.Equal(before, (await fixture.Server.Store.ListClientsAsync(Core.Storage.PageRequest.All, CancellationToken.None)).Total);
    }

    [Fact]
    public async Task The_admin_add_command_prints_a_password_that_signs_in_once_created()
    {
        var email = "cli-" + Guid.NewGuid().ToString("N")[..8] + "@example.com";
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await AdminCommand.TryRunAsync(["admin", "add", email, "--data-dir", fixture.Server.DataDir], output, error);
        Assert.Equal(0, exit);
        var password = output.ToString().Split("(shown once): ")[1].Trim();

        var page = await fixture.SignedInPageAsync(email, password);
        await Assertions.Expect(page.GetByText(email)).ToBeVisibleAsync();

        using var again = new StringWriter();
        Assert.Equal(1, await AdminCommand.TryRunAsync(["admin", "add", email, "--data-dir", fixture.Server.DataDir], again, error));
        Assert.Equal(2, await AdminCommand.TryRunAsync(["admin", "add", "not-an-email", "--data-dir", fixture.Server.DataDir], again, error));
        Assert.Null(await AdminCommand.TryRunAsync(["--demo"], again, error));
    }
}
