using System.Net;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Sessions;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Admin;

/// <summary>
/// Gatehouse's one call that signs a user out everywhere (docs/management-api.md): POST
/// /api/v2/users/{id}/gatehouse/revoke-access ends every SSO session and revokes every refresh token, needs both
/// delete:sessions and delete:refresh_tokens, and is audited once, from the API and from the dashboard's user page.
/// </summary>
public sealed class UserAccessRevocationTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private string Path => $"users/{Uri.EscapeDataString(tenant.UserId)}/gatehouse/revoke-access";

    [Fact]
    public async Task One_call_ends_the_users_sessions_and_refresh_tokens_and_is_audited_once()
    {
        var refresh = await RefreshTokenAsync();
        await NewSessionAsync("revoke-all-1");
        using var admin = await tenant.ManagementWithScopesAsync("delete:sessions", "delete:refresh_tokens");

        var answer = await HttpAssert.OkJsonAsync(await admin.PostAsync(Path, null));

        Assert.True(answer.GetProperty("sessions").GetInt32() >= 1);
        Assert.True(answer.GetProperty("refresh_tokens").GetInt32() >= 1);
        Assert.Empty(await Sessions.ListForUserAsync(tenant.UserId, CancellationToken.None));
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(refresh), 403, "invalid_grant");
        // The class's dashboard test writes the same path; this call is the one event from the API.
        var audited = Assert.Single(await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite), e =>
            e.Details!.Value.GetProperty("request").GetProperty("path").GetString() == "/api/v2/" + Uri.UnescapeDataString(Path)
            && e.Details.Value.GetProperty("request").GetProperty("channel").GetString() == "api");
        Assert.Equal("post", audited.Details!.Value.GetProperty("request").GetProperty("method").GetString());
    }

    [Theory]
    [InlineData("delete:sessions")]
    [InlineData("delete:refresh_tokens")]
    public async Task A_caller_with_one_of_the_two_scopes_is_refused_and_nothing_ends(string only)
    {
        var refresh = await RefreshTokenAsync();
        await NewSessionAsync("revoke-half-" + only);
        using var half = await tenant.ManagementWithScopesAsync(only, "read:users", "update:users");

        await HttpAssert.ManagementErrorAsync(await half.PostAsync(Path, null), 403, "insufficient_scope");

        Assert.NotEmpty(await Sessions.ListForUserAsync(tenant.UserId, CancellationToken.None));
        await HttpAssert.OkJsonAsync(await RefreshAsync(refresh));
    }

    [Fact]
    public async Task An_unknown_user_is_auth0s_inexistent_user()
    {
        using var admin = await tenant.ManagementWithScopesAsync("delete:sessions", "delete:refresh_tokens");

        await HttpAssert.ManagementErrorAsync(await admin.PostAsync("users/auth0%7Cnobody/gatehouse/revoke-access", null), 404, "inexistent_user");
    }

    [Fact]
    public async Task The_dashboards_sign_out_everywhere_button_does_the_same_naming_the_administrator()
    {
        var refresh = await RefreshTokenAsync();
        await NewSessionAsync("revoke-dashboard");
        using var dashboard = await DashboardSession.SignInAsync(tenant.Server);
        var page = "dashboard/users/detail?id=" + Uri.EscapeDataString(tenant.UserId);
        Assert.Contains("id=\"revoke-access\"", await dashboard.GetStringAsync(page), StringComparison.Ordinal);

        var posted = await dashboard.PostFormAsync(page, page + "&handler=RevokeAccess", []);

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        Assert.Empty(await Sessions.ListForUserAsync(tenant.UserId, CancellationToken.None));
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(refresh), 403, "invalid_grant");
        Assert.Contains(await tenant.LogsOfTypeAsync(LogTypes.ManagementApiWrite), e =>
            e.Description == "Revoke a user's sessions and refresh tokens"
            && e.Details!.Value.GetProperty("request").GetProperty("channel").GetString() == "dashboard");
    }

    private ISsoSessionStore Sessions => tenant.Server.Services.GetRequiredService<ISsoSessionStore>();

    private async Task NewSessionAsync(string id)
    {
        var now = DateTimeOffset.UtcNow;
        await Sessions.CreateAsync(new(id, tenant.UserId, [TestTenant.Connection], [tenant.NativeClientId], now, now, now.AddDays(1), now.AddHours(1),
            null, null, now, 0), CancellationToken.None);
    }

    private async Task<string> RefreshTokenAsync() =>
        (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync())).GetProperty("refresh_token").GetString()!;

    private Task<HttpResponseMessage> RefreshAsync(string refresh) =>
        tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.NativeClientId), ("refresh_token", refresh));
}
