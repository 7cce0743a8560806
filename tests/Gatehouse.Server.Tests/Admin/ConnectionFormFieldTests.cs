using System.Net;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>The dashboard marks a form field from the problem's option (<c>OptionProblem.Option</c>), never from its text.</summary>
public sealed class ConnectionFormFieldTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    [Fact]
    public async Task A_problem_with_a_nested_option_is_marked_on_its_own_form_field()
    {
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = "dashboard/connections/database/edit";

        var refused = await dashboard.PostFormAsync(page, page, new() { ["name"] = "min-length-db", ["passwordPolicy"] = "good", ["minLength"] = "500" });

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var html = await refused.Content.ReadAsStringAsync();
        Assert.Contains("id=\"minLength-error\"", html, StringComparison.Ordinal);
        Assert.Contains("options.password_complexity_options.min_length must be an integer from 1 to 128", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"options-error\"", html, StringComparison.Ordinal);
        Assert.Null(await tenant.Server.Store.GetConnectionByNameAsync("min-length-db", default));

        var saved = await dashboard.PostFormAsync(page, page, new() { ["name"] = "min-length-db", ["passwordPolicy"] = "good", ["minLength"] = "12" });
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var stored = (await tenant.Server.Store.GetConnectionByNameAsync("min-length-db", default))!.Options;
        Assert.Equal(12, stored.GetProperty("password_complexity_options").GetProperty("min_length").GetInt32());
    }
}
