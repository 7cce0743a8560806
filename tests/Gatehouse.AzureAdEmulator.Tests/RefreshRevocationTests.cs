using System.Net;
using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>
/// Refresh tokens Entra revokes: each admin action (disable, password reset or change, revoked sessions, deletion)
/// and each policy (inactivity, sign-in frequency) → the refresh grant's exact error.
/// </summary>
public sealed class RefreshRevocationTests
{
    private const string Graph = "https://graph.microsoft.com";

    private sealed class Env : IAsyncDisposable
    {
        public required AzureAdEmulator Emulator { get; init; }
        public required StsClient Sts { get; init; }
        public required FakeTimeProvider Time { get; init; }

        public async ValueTask DisposeAsync()
        {
            Sts.Dispose();
            await Emulator.DisposeAsync();
        }
    }

    private static async Task<Env> StartAsync()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = false, TimeProvider = time });
        return new Env { Emulator = emulator, Sts = new StsClient(emulator), Time = time };
    }

    private static async Task<string> LoginAsync(Env env, string user = DemoDirectory.Adele, string? password = null)
    {
        var login = await env.Sts.PasswordV1Async(user, Graph, password: password);
        Assert.True(login.Status == HttpStatusCode.OK, login.Body);
        return login.Json.GetProperty("refresh_token").GetString()!;
    }

    private static Task<Reply> RefreshAsync(Env env, string refreshToken) =>
        env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/token",
            [("grant_type", "refresh_token"), ("client_id", DemoDirectory.NativeAppId), ("refresh_token", refreshToken)]);

    private static Task<Reply> AdminAsync(Env env, string path, string json = "{}") => env.Sts.PostJsonAsync($"_emulator/{path}", json);

    [Fact]
    public async Task Disabling_a_user_refuses_the_refresh_with_50057_and_enabling_restores_it()
    {
        await using var env = await StartAsync();
        var token = await LoginAsync(env);

        var disable = await AdminAsync(env, $"users/{DemoDirectory.Adele}/disable");
        var refused = await RefreshAsync(env, token);
        await AdminAsync(env, $"users/{DemoDirectory.AdeleId}/enable");
        var again = await RefreshAsync(env, token);

        Assert.Equal(HttpStatusCode.NoContent, disable.Status);
        Assert.Equal(("invalid_grant", 50057), (refused.Error, refused.ErrorCode));
        Assert.StartsWith("AADSTS50057: The user account is disabled.", refused.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, again.Status);
    }

    [Fact]
    public async Task A_password_reset_revokes_earlier_refresh_tokens_with_50173_but_not_later_ones()
    {
        await using var env = await StartAsync();
        var before = await LoginAsync(env);
        env.Time.Advance(TimeSpan.FromMinutes(1));

        var reset = await AdminAsync(env, $"users/{DemoDirectory.Adele}/reset-password", """{"password":"N3w-P@ssw0rd!"}""");
        var refused = await RefreshAsync(env, before);
        var oldPassword = await env.Sts.PasswordV1Async(DemoDirectory.Adele, Graph);
        var after = await LoginAsync(env, password: "N3w-P@ssw0rd!");

        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        Assert.Equal(("invalid_grant", 50173), (refused.Error, refused.ErrorCode));
        Assert.StartsWith(
            "AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. " +
            "The grant was issued on '2026-03-01T09:00:00.0000000Z' and the TokensValidFrom date (before which tokens are not valid) for this user is '2026-03-01T09:01:00.0000000Z'.",
            refused.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(50126, oldPassword.ErrorCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(env, after)).Status);
    }

    [Fact]
    public async Task A_password_changed_through_a_user_put_revokes_too_but_a_put_without_password_does_not()
    {
        await using var env = await StartAsync();
        var token = await LoginAsync(env);
        var adele = env.Emulator.Directory.Seed.Users.First(u => u.Id == DemoDirectory.AdeleId);
        env.Time.Advance(TimeSpan.FromSeconds(1));

        env.Emulator.Directory.UpsertUser(adele with { Password = null, JobTitle = "Director" });
        var unchanged = await RefreshAsync(env, token);
        env.Emulator.Directory.UpsertUser(adele with { Password = "Another-P@ss1" });
        var changed = await RefreshAsync(env, token);

        Assert.Equal(HttpStatusCode.OK, unchanged.Status);
        Assert.Equal(50173, changed.ErrorCode);
    }

    [Fact]
    public async Task Revoking_sessions_refuses_earlier_refresh_tokens_and_signs_the_browser_out()
    {
        await using var env = await StartAsync();
        var token = await LoginAsync(env);
        using var browser = new Browser(env.Emulator);
        await browser.CodeAsync(Browser.AuthorizeUrl(), DemoDirectory.Adele);
        env.Time.Advance(TimeSpan.FromSeconds(1));

        var revoke = await AdminAsync(env, $"users/{DemoDirectory.Adele}/revoke-sessions");
        var refused = await RefreshAsync(env, token);
        var page = await browser.GetAsync(Browser.AuthorizeUrl());
        var directory = await env.Sts.GetAsync("_emulator/directory");

        Assert.Equal(HttpStatusCode.OK, revoke.Status);
        Assert.True(revoke.Json.GetProperty("value").GetBoolean());
        Assert.Equal(50173, refused.ErrorCode);
        Assert.Contains("id=\"loginForm\"", page.Body, StringComparison.Ordinal); // the session is gone
        var adele = directory.Json.GetProperty("users").EnumerateArray().First(u => u.GetProperty("id").GetString() == DemoDirectory.AdeleId);
        Assert.Equal("2026-03-01T09:00:01+00:00", adele.GetProperty("refreshTokensValidFromDateTime").GetString());
    }

    [Fact]
    public async Task Revocation_splits_tokens_issued_within_the_same_second()
    {
        await using var env = await StartAsync();
        var before = await LoginAsync(env);
        env.Time.Advance(TimeSpan.FromMilliseconds(10));
        await AdminAsync(env, $"users/{DemoDirectory.Adele}/revoke-sessions");
        env.Time.Advance(TimeSpan.FromMilliseconds(10));
        var after = await LoginAsync(env);

        Assert.Equal(50173, (await RefreshAsync(env, before)).ErrorCode);
        Assert.Equal(HttpStatusCode.OK, (await RefreshAsync(env, after)).Status);
    }

    [Fact]
    public async Task The_library_revokes_sessions_and_disables_users_as_the_admin_routes_do()
    {
        await using var env = await StartAsync();
        var adeleToken = await LoginAsync(env);
        var meganToken = await LoginAsync(env, DemoDirectory.Megan);
        env.Time.Advance(TimeSpan.FromSeconds(1));

        env.Emulator.RevokeSignInSessions(DemoDirectory.AdeleId);
        env.Emulator.Directory.SetAccountEnabled(DemoDirectory.Megan, false);

        Assert.Equal(50173, (await RefreshAsync(env, adeleToken)).ErrorCode);
        Assert.Equal(50057, (await RefreshAsync(env, meganToken)).ErrorCode);
    }

    [Fact]
    public async Task A_deleted_user_gets_50034()
    {
        await using var env = await StartAsync();
        var token = await LoginAsync(env);

        var delete = await env.Sts.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"_emulator/users/{DemoDirectory.Adele}"));
        var refused = await RefreshAsync(env, token);

        Assert.Equal(HttpStatusCode.NoContent, delete.Status);
        Assert.Equal(("invalid_grant", 50034), (refused.Error, refused.ErrorCode));
    }

    [Fact]
    public async Task Inactivity_is_judged_against_the_current_setting_with_700082_bad_token()
    {
        await using var env = await StartAsync();
        var token = await LoginAsync(env);
        var settings = await env.Sts.PostJsonAsync("_emulator/settings", """{"refreshTokenLifetimeSeconds":60}""", method: HttpMethod.Put);

        env.Time.Advance(TimeSpan.FromSeconds(59));
        var inTime = await RefreshAsync(env, token);
        env.Time.Advance(TimeSpan.FromSeconds(1));
        var inactive = await RefreshAsync(env, token);

        Assert.Equal(HttpStatusCode.NoContent, settings.Status);
        Assert.Equal(HttpStatusCode.OK, inTime.Status);
        Assert.Equal(("invalid_grant", 700082), (inactive.Error, inactive.ErrorCode));
        Assert.Equal("bad_token", inactive.Json.GetProperty("suberror").GetString());
        Assert.StartsWith("AADSTS700082: The refresh token has expired due to inactivity. The token was issued on 2026-03-01T09:00:00.0000000Z and was inactive for 00:01:00.",
            inactive.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_frequency_counts_from_the_sign_in_not_from_the_last_refresh_with_70043()
    {
        await using var env = await StartAsync();
        env.Emulator.Directory.UpdateSettings(s => s with { SignInFrequencySeconds = 3600 });
        var first = await LoginAsync(env);

        env.Time.Advance(TimeSpan.FromMinutes(40));
        var refreshed = await RefreshAsync(env, first);
        var second = refreshed.Json.GetProperty("refresh_token").GetString()!;
        env.Time.Advance(TimeSpan.FromMinutes(20));
        var refused = await RefreshAsync(env, second);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(("invalid_grant", 70043), (refused.Error, refused.ErrorCode));
        Assert.StartsWith("AADSTS70043: The refresh token has expired or is invalid due to sign-in frequency checks by conditional access. The token was issued on 2026-03-01T09:00:00.0000000Z",
            refused.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_revocation_routes_answer_404_for_unknown_users_and_400_for_a_missing_password()
    {
        await using var env = await StartAsync();

        var unknown = await AdminAsync(env, "users/nobody@contoso.com/revoke-sessions");
        var unknownDisable = await AdminAsync(env, "users/nobody@contoso.com/disable");
        var noPassword = await AdminAsync(env, $"users/{DemoDirectory.Adele}/reset-password", "{}");
        var notJson = await AdminAsync(env, $"users/{DemoDirectory.Adele}/reset-password", "password=x");

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownDisable.Status);
        Assert.Equal(HttpStatusCode.BadRequest, noPassword.Status);
        Assert.Equal("invalid_seed", noPassword.Error);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.Status);
    }
}
