using System.Net;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.BrowserSignIn;

/// <summary>
/// A waad user's Gatehouse refresh rechecked at Azure AD (docs/waad.md, "Refresh tokens Azure AD can revoke"): the
/// emulator disables the user or revokes the sessions, Gatehouse's clock (a FakeTimeProvider, no sleeps) passes the
/// connection's interval, and the next refresh is refused with the family revoked; an outage is forgiven within the grace.
/// </summary>
public sealed class UpstreamRecheckTests : IAsyncLifetime
{
    private const string Waad = "contoso-recheck";
    private const string PasswordRealm = "http://auth0.com/oauth/grant-type/password-realm";
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(600);
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(3600);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private AzureAdEmulator _emulator = null!;
    private TestTenant _tenant = null!;

    public async Task InitializeAsync()
    {
        _emulator = await AzureAdEmulator.StartAsync();
        _tenant = await TestTenant.StartAsync(c =>
        {
            c["AzureAd:AuthorityUrl"] = _emulator.BaseUrl;
            c["AzureAd:GraphUrl"] = _emulator.MicrosoftGraphBaseUrl;
            c["AzureAd:AadGraphUrl"] = _emulator.AadGraphBaseUrl;
            c["AzureAd:TrustedCaFile"] = _emulator.CaCertificatePath;
            c["RateLimits:Enabled"] = "false";
        }, services => services.AddSingleton<TimeProvider>(_clock));
        await _tenant.PostAsync("connections", new
        {
            name = Waad, strategy = "waad", enabled_clients = new[] { _tenant.NativeClientId },
            options = new
            {
                client_id = DemoDirectory.ConfidentialAppId, client_secret = DemoDirectory.ConfidentialSecret, tenant_domain = DemoDirectory.TenantDomain,
                gatehouse_upstream_recheck_seconds = (int)Interval.TotalSeconds, gatehouse_upstream_recheck_grace_seconds = (int)Grace.TotalSeconds,
            },
        });
    }

    public async Task DisposeAsync()
    {
        await _tenant.DisposeAsync();
        await _emulator.DisposeAsync();
    }

    [Fact]
    public async Task Before_the_interval_refresh_works_without_asking_azure_even_for_a_disabled_user()
    {
        var upn = NewUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7301", "recheck.early@contoso.onmicrosoft.com");
        var refresh = await SignInAsync(upn);
        Disable(upn);
        var asked = _emulator.SignInLog.Entries.Count;

        _clock.Advance(Interval - TimeSpan.FromSeconds(1));
        await HttpAssert.OkJsonAsync(await RefreshAsync(refresh));

        Assert.Equal(asked, _emulator.SignInLog.Entries.Count);
    }

    [Fact]
    public async Task A_user_disabled_at_azure_loses_refresh_after_the_interval_and_the_family_is_revoked()
    {
        var upn = NewUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7302", "recheck.disabled@contoso.onmicrosoft.com");
        var first = await SignInAsync(upn);
        var second = (await HttpAssert.OkJsonAsync(await RefreshAsync(first))).GetProperty("refresh_token").GetString()!;
        Disable(upn);

        _clock.Advance(Interval);
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(second), 403, "invalid_grant", "Unknown or invalid refresh token.");

        var failed = (await _tenant.LogsOfTypeAsync("fertft"))[0];
        Assert.Contains("AADSTS50057", failed.Description + failed.Details?.GetRawText(), StringComparison.Ordinal);
        // Enabled again at Azure: the revoked family stays revoked.
        _emulator.Directory.UpsertUser(_emulator.Directory.Seed.Users.Single(u => u.UserPrincipalName == upn) with { AccountEnabled = true });
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(second), 403, "invalid_grant");
        var user = await UserJsonAsync(upn);
        var check = user.GetProperty("identities")[0].GetProperty("gatehouse_upstream_check");
        Assert.StartsWith("revoked: AADSTS50057", check.GetProperty("result").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sessions_revoked_at_azure_end_refresh_after_the_interval_and_a_live_user_goes_on_with_a_rotated_azure_token()
    {
        var revoked = NewUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7303", "recheck.revoked@contoso.onmicrosoft.com");
        var alive = NewUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7304", "recheck.alive@contoso.onmicrosoft.com");
        var revokedRefresh = await SignInAsync(revoked);
        var aliveRefresh = await SignInAsync(alive);
        var storedBefore = await StoredAzureRefreshTokenAsync(alive);
        _emulator.RevokeSignInSessions(revoked);

        _clock.Advance(Interval + TimeSpan.FromSeconds(1));
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(revokedRefresh), 403, "invalid_grant");
        await HttpAssert.OkJsonAsync(await RefreshAsync(aliveRefresh));

        Assert.Contains("AADSTS50173", (await _tenant.LogsOfTypeAsync("fertft"))[0].Details?.GetRawText(), StringComparison.Ordinal);
        Assert.NotEqual(storedBefore, await StoredAzureRefreshTokenAsync(alive));
        var check = (await UserJsonAsync(alive)).GetProperty("identities")[0].GetProperty("gatehouse_upstream_check");
        Assert.Equal("alive", check.GetProperty("result").GetString());
    }

    [Fact]
    public async Task An_azure_outage_revokes_nothing_within_the_grace_and_refuses_after_it()
    {
        var upn = NewUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7305", "recheck.outage@contoso.onmicrosoft.com");
        var refresh = await SignInAsync(upn);
        _emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = FaultKind.ServerError, Status = 500 });
        try
        {
            _clock.Advance(Interval + TimeSpan.FromSeconds(1));
            refresh = (await HttpAssert.OkJsonAsync(await RefreshAsync(refresh))).GetProperty("refresh_token").GetString()!;
            Assert.StartsWith("unavailable", (await UserJsonAsync(upn)).GetProperty("identities")[0]
                .GetProperty("gatehouse_upstream_check").GetProperty("result").GetString(), StringComparison.Ordinal);

            _clock.Advance(Grace);
            await HttpAssert.OAuthErrorAsync(await RefreshAsync(refresh), 403, "invalid_grant");
        }
        finally
        {
            _emulator.Faults.Clear();
        }
    }

    [Fact]
    public async Task The_admin_revokes_a_users_refresh_tokens_only_with_delete_refresh_tokens()
    {
        var upn = NewUser("5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7306", "recheck.admin@contoso.onmicrosoft.com");
        var refresh = await SignInAsync(upn);
        var userId = (await UserJsonAsync(upn)).GetProperty("user_id").GetString()!;
        var path = $"users/{Uri.EscapeDataString(userId)}/refresh-tokens";

        using var readOnly = await _tenant.ManagementWithScopesAsync("read:users", "delete:sessions");
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.DeleteAsync(path)).StatusCode);
        refresh = (await HttpAssert.OkJsonAsync(await RefreshAsync(refresh))).GetProperty("refresh_token").GetString()!;

        using var allowed = await _tenant.ManagementWithScopesAsync("delete:refresh_tokens");
        Assert.Equal(HttpStatusCode.Accepted, (await allowed.DeleteAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await allowed.DeleteAsync("users/waad%7Cnobody/refresh-tokens")).StatusCode);
        await HttpAssert.OAuthErrorAsync(await RefreshAsync(refresh), 403, "invalid_grant");
    }

    private string NewUser(string id, string upn)
    {
        var adele = _emulator.Directory.Seed.Users.Single(u => u.UserPrincipalName == DemoDirectory.Adele);
        _emulator.Directory.UpsertUser(adele with { Id = id, UserPrincipalName = upn, Password = DemoDirectory.PasswordOf(upn), Mail = null });
        return upn;
    }

    private void Disable(string upn) =>
        _emulator.Directory.UpsertUser(_emulator.Directory.Seed.Users.Single(u => u.UserPrincipalName == upn) with { AccountEnabled = false });

    private async Task<string> SignInAsync(string upn) => (await HttpAssert.OkJsonAsync(await _tenant.TokenAsync(
        ("grant_type", PasswordRealm), ("client_id", _tenant.NativeClientId), ("realm", Waad), ("username", upn),
        ("password", DemoDirectory.PasswordOf(upn)), ("scope", "openid offline_access"), ("audience", TestTenant.ApiAudience))))
        .GetProperty("refresh_token").GetString()!;

    private Task<HttpResponseMessage> RefreshAsync(string refresh) =>
        _tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", _tenant.NativeClientId), ("refresh_token", refresh));

    /// <summary>GET /api/v2/users/{id} of the user Gatehouse made for this Azure account.</summary>
    private async Task<JsonElement> UserJsonAsync(string upn) =>
        await HttpAssert.OkJsonAsync(await _tenant.Management.GetAsync("users/" + Uri.EscapeDataString((await StoredAsync(upn)).UserId)));

    private async Task<string?> StoredAzureRefreshTokenAsync(string upn) => (await StoredAsync(upn)).Identities[0].RefreshTokenProtected;

    private async Task<Core.Storage.User> StoredAsync(string upn)
    {
        var users = await _tenant.Server.Store.ListUsersAsync(new Core.Storage.UserQuery(null, null, null, false, Core.Storage.PageRequest.All), CancellationToken.None);
        return users.Items.Single(u => string.Equals(u.Email, upn, StringComparison.OrdinalIgnoreCase));
    }
}
