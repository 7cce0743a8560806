using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>The device code flow over plain HTTP: /devicecode, the /devicelogin pages and the polling answers.</summary>
public sealed partial class DeviceCodeTests
{
    private const string GraphScope = "openid profile offline_access https://graph.microsoft.com/User.Read";

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

    private static Task<Reply> StartV2Async(Env env, string clientId = DemoDirectory.NativeAppId, string scope = GraphScope, params (string, string)[] extra) =>
        env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/devicecode", [("client_id", clientId), ("scope", scope), .. extra]);

    private static Task<Reply> PollV2Async(Env env, string deviceCode, string clientId = DemoDirectory.NativeAppId, string grantType = "urn:ietf:params:oauth:grant-type:device_code") =>
        env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            [("grant_type", grantType), ("client_id", clientId), ("device_code", deviceCode)]);

    private static (string DeviceCode, string UserCode) Codes(Reply reply)
    {
        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        return (reply.Json.GetProperty("device_code").GetString()!, reply.Json.GetProperty("user_code").GetString()!);
    }

    [Fact]
    public async Task V2_devicecode_answers_in_entras_shape()
    {
        await using var env = await StartAsync();

        var reply = await StartV2Async(env);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var json = reply.Json;
        var userCode = json.GetProperty("user_code").GetString()!;
        Assert.Matches(UserCodeShape(), userCode);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("device_code").GetString()));
        var uri = $"{env.Emulator.BaseUrl}devicelogin";
        Assert.Equal(uri, json.GetProperty("verification_uri").GetString());
        Assert.Equal(900, json.GetProperty("expires_in").GetInt32());
        Assert.Equal(5, json.GetProperty("interval").GetInt32());
        Assert.Equal($"To sign in, use a web browser to open the page {uri} and enter the code {userCode} to authenticate.", json.GetProperty("message").GetString());
        Assert.False(json.TryGetProperty("verification_uri_complete", out _)); // Entra does not send it
        Assert.False(json.TryGetProperty("verification_url", out _));
        Assert.Contains("no-store", reply.Header("Cache-Control"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task V1_devicecode_has_verification_url_and_numbers_as_strings()
    {
        await using var env = await StartAsync();

        var reply = await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/devicecode?api-version=1.0",
            [("client_id", DemoDirectory.NativeAppId), ("resource", "https://graph.microsoft.com")]);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var json = reply.Json;
        var uri = $"{env.Emulator.BaseUrl}devicelogin";
        Assert.Equal(uri, json.GetProperty("verification_url").GetString());
        Assert.False(json.TryGetProperty("verification_uri", out _));
        Assert.Equal("900", json.GetProperty("expires_in").GetString());
        Assert.Equal("5", json.GetProperty("interval").GetString());
        Assert.Equal($"To sign in, use a web browser to open the page {uri}. Enter the code {json.GetProperty("user_code").GetString()} to authenticate.",
            json.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData(DemoDirectory.ConfidentialAppId, null, "invalid_client", 7000218, 401)] // not a public client, no secret
    [InlineData(DemoDirectory.ConfidentialAppId, "wrong-secret", "invalid_client", 7000215, 401)]
    [InlineData(DemoDirectory.NativeAppId, "a-secret", "invalid_client", 700025, 401)] // public clients send no secret
    [InlineData("00000000-0000-0000-0000-00000000dead", null, "unauthorized_client", 700016, 400)]
    public async Task Devicecode_judges_the_client_as_the_token_endpoint_does(string clientId, string? secret, string error, int code, int status)
    {
        await using var env = await StartAsync();

        var reply = secret is null ? await StartV2Async(env, clientId) : await StartV2Async(env, clientId, extra: ("client_secret", secret));

        Assert.Equal(status, (int)reply.Status);
        Assert.Equal(error, reply.Error);
        Assert.Equal(code, reply.ErrorCode);
    }

    [Fact]
    public async Task Devicecode_refuses_missing_parameters_unknown_tenants_and_resources()
    {
        await using var env = await StartAsync();

        var noScope = await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/devicecode", [("client_id", DemoDirectory.NativeAppId)]);
        var noResource = await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/devicecode", [("client_id", DemoDirectory.NativeAppId)]);
        var noClient = await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/devicecode", [("scope", GraphScope)]);
        var badTenant = await env.Sts.PostFormAsync("nowhere.example/oauth2/v2.0/devicecode", [("client_id", DemoDirectory.NativeAppId), ("scope", GraphScope)]);
        var badResource = await StartV2Async(env, scope: "https://unknown.example/read");
        var get = await env.Sts.GetAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/devicecode");

        Assert.Equal((900144, "invalid_request"), (noScope.ErrorCode, noScope.Error));
        Assert.Contains("'scope'", noScope.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("'resource'", noResource.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("'client_id'", noClient.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal(90002, badTenant.ErrorCode);
        Assert.Equal((500011, "invalid_resource"), (badResource.ErrorCode, badResource.Error));
        Assert.Equal(900561, get.ErrorCode);
    }

    [Fact]
    public async Task Polling_before_sign_in_is_pending_and_too_fast_is_slow_down()
    {
        await using var env = await StartAsync();
        var (deviceCode, _) = Codes(await StartV2Async(env));

        var first = await PollV2Async(env, deviceCode);
        var tooSoon = await PollV2Async(env, deviceCode);
        env.Time.Advance(TimeSpan.FromSeconds(5));
        var afterInterval = await PollV2Async(env, deviceCode, grantType: "device_code"); // MSAL.NET's spelling

        Assert.Equal(HttpStatusCode.BadRequest, first.Status);
        Assert.Equal(("authorization_pending", 70016), (first.Error, first.ErrorCode));
        Assert.StartsWith("AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.",
            first.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Equal("slow_down", tooSoon.Error);
        Assert.Equal("authorization_pending", afterInterval.Error);
    }

    [Fact]
    public async Task A_device_code_expires_after_fifteen_minutes_at_the_poller_and_on_the_page()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await StartV2Async(env));

        env.Time.Advance(TimeSpan.FromSeconds(900));
        var poll = await PollV2Async(env, deviceCode);
        using var browser = new Browser(env.Emulator);
        var page = await browser.SubmitAsync(await browser.GetAsync("devicelogin"), ("otc", userCode));

        Assert.Equal(("expired_token", 70020), (poll.Error, poll.ErrorCode));
        Assert.StartsWith("AADSTS70020: The provided value for the input parameter 'device_code' is not valid. This device code has expired.",
            poll.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Contains("That code has expired", page.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("deviceConfirmForm", page.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_mfa_user_signs_in_on_devicelogin_and_the_poller_gets_tokens_with_amr_mfa_once()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await StartV2Async(env));
        using var browser = new Browser(env.Emulator);

        var signIn = await browser.DeviceLoginAsync(userCode.ToLowerInvariant()); // case does not matter
        Assert.Contains("id=\"loginForm\"", signIn.Body, StringComparison.Ordinal);
        var mfa = await browser.SignInAsync(signIn, DemoDirectory.MfaUser);
        Assert.Contains("id=\"mfaForm\"", mfa.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await PollV2Async(env, deviceCode)).Status); // still pending during MFA
        var mfaCode = (await env.Sts.GetAsync($"_emulator/mfa-codes/{DemoDirectory.MfaUser}")).Json.GetProperty("code").GetString()!;
        var done = await browser.SubmitAsync(mfa, ("otc", mfaCode), ("action", "verify"));
        env.Time.Advance(TimeSpan.FromSeconds(5));
        var tokens = await PollV2Async(env, deviceCode);
        env.Time.Advance(TimeSpan.FromSeconds(5));
        var replay = await PollV2Async(env, deviceCode);

        Assert.Contains("id=\"deviceSignedIn\"", done.Body, StringComparison.Ordinal);
        Assert.Contains("You may now close this window.", done.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal(JsonValueKind.Number, tokens.Json.GetProperty("expires_in").ValueKind);
        var access = JwtParts.Decode(tokens.Json.GetProperty("access_token").GetString()!);
        Assert.Equal(["pwd", "mfa"], access.Payload.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(DemoDirectory.MfaUser, JwtParts.Decode(tokens.Json.GetProperty("id_token").GetString()!).Claim("preferred_username"));
        Assert.True(tokens.Json.TryGetProperty("refresh_token", out _));
        Assert.Equal(("invalid_grant", 70000), (replay.Error, replay.ErrorCode));
    }

    [Fact]
    public async Task V1_polls_with_grant_type_device_code_and_the_code_parameter()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/devicecode",
            [("client_id", DemoDirectory.NativeAppId), ("resource", "https://graph.microsoft.com")]));
        using var browser = new Browser(env.Emulator);
        await browser.SignInAsync(await browser.DeviceLoginAsync(userCode), DemoDirectory.Adele);

        var tokens = await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/token",
            [("grant_type", "device_code"), ("client_id", DemoDirectory.NativeAppId), ("code", deviceCode), ("resource", "https://graph.microsoft.com")]);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("https://graph.microsoft.com", tokens.Json.GetProperty("resource").GetString());
        Assert.Equal(JsonValueKind.String, tokens.Json.GetProperty("expires_in").ValueKind);
        Assert.Equal(DemoDirectory.Adele, JwtParts.Decode(tokens.Json.GetProperty("access_token").GetString()!).Claim("upn"));
        Assert.True(tokens.Json.TryGetProperty("id_token", out _));
        Assert.True(tokens.Json.TryGetProperty("refresh_token", out _));
    }

    [Fact]
    public async Task Cancel_on_the_confirmation_page_is_authorization_declined_at_the_poller()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await StartV2Async(env));
        using var browser = new Browser(env.Emulator);
        var confirm = await browser.SubmitAsync(await browser.GetAsync("devicelogin"), ("otc", userCode));
        Assert.Contains("Gatehouse Native", confirm.Body, StringComparison.Ordinal); // the page names the asking app

        var page = await browser.SubmitAsync(confirm, ("action", "cancel"));
        var poll = await PollV2Async(env, deviceCode);
        var again = await browser.SubmitAsync(await browser.GetAsync("devicelogin"), ("otc", userCode));

        Assert.Contains("id=\"errorCode\"", page.Body, StringComparison.Ordinal);
        Assert.Equal(("authorization_declined", 70000), (poll.Error, poll.ErrorCode));
        Assert.Contains("AADSTS90120", again.Body, StringComparison.Ordinal); // a finished code cannot be reused
    }

    [Fact]
    public async Task Declining_consent_is_authorization_declined_with_65004()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await StartV2Async(env, DemoDirectory.UnconsentedAppId));
        using var browser = new Browser(env.Emulator);
        var consent = await browser.SignInAsync(await browser.DeviceLoginAsync(userCode), DemoDirectory.Adele);
        Assert.Contains("id=\"consentForm\"", consent.Body, StringComparison.Ordinal);

        await browser.SubmitAsync(consent, ("action", "cancel"));
        var poll = await PollV2Async(env, deviceCode, DemoDirectory.UnconsentedAppId);

        Assert.Equal(("authorization_declined", 65004), (poll.Error, poll.ErrorCode));
    }

    [Fact]
    public async Task A_conditional_access_block_stops_the_page_and_reaches_the_poller_with_its_claims()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await StartV2Async(env));
        using var browser = new Browser(env.Emulator);

        var stop = await browser.SignInAsync(await browser.DeviceLoginAsync(userCode), DemoDirectory.BlockedUser);
        var poll = await PollV2Async(env, deviceCode);

        Assert.Contains("AADSTS53003", stop.Body, StringComparison.Ordinal);
        Assert.Equal(("invalid_grant", 53003), (poll.Error, poll.ErrorCode));
        Assert.Contains("capolids", poll.Json.GetProperty("claims").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_user_codes_are_capped_per_browser()
    {
        await using var env = await StartAsync();
        var (_, userCode) = Codes(await StartV2Async(env));
        using var guesser = new Browser(env.Emulator);

        for (var i = 0; i < 5; i++)
        {
            var wrong = await guesser.SubmitAsync(await guesser.GetAsync("devicelogin"), ("otc", "AAAAAAAA" + i));
            Assert.Contains("Check the code and try again", wrong.Body, StringComparison.Ordinal);
        }
        var capped = await guesser.SubmitAsync(await guesser.GetAsync("devicelogin"), ("otc", userCode));
        using var owner = new Browser(env.Emulator);
        var confirm = await owner.SubmitAsync(await owner.GetAsync("devicelogin"), ("otc", userCode));

        Assert.Contains("too many incorrect codes", capped.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("deviceConfirmForm", capped.Body, StringComparison.Ordinal);
        Assert.Contains("deviceConfirmForm", confirm.Body, StringComparison.Ordinal); // the rightful user is not locked out
        env.Time.Advance(TimeSpan.FromMinutes(15));
        var later = await guesser.SubmitAsync(await guesser.GetAsync("devicelogin"), ("otc", "AAAAAAAA9"));
        Assert.Contains("Check the code and try again", later.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_form_from_another_browser_is_refused()
    {
        await using var env = await StartAsync();
        var (_, userCode) = Codes(await StartV2Async(env));
        using var victim = new Browser(env.Emulator);
        using var attacker = new Browser(env.Emulator);
        var attackersPage = await attacker.GetAsync("devicelogin");
        await victim.GetAsync("devicelogin");

        var posted = await victim.SubmitAsync(attackersPage, ("otc", userCode));

        Assert.Equal(HttpStatusCode.BadRequest, posted.Status);
        Assert.Contains("AADSTS90100", posted.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_device_codes_and_other_clients_are_refused_and_a_missing_code_is_named()
    {
        await using var env = await StartAsync();
        var (deviceCode, _) = Codes(await StartV2Async(env));

        var unknown = await PollV2Async(env, "DAQABAAEAAAD-not-a-code");
        var otherClient = await PollV2Async(env, deviceCode, DemoDirectory.UnconsentedAppId);
        var missing = await env.Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            [("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), ("client_id", DemoDirectory.NativeAppId)]);

        Assert.Equal(("bad_verification_code", 70018), (unknown.Error, unknown.ErrorCode));
        Assert.Equal(("invalid_grant", 70000), (otherClient.Error, otherClient.ErrorCode));
        Assert.Equal(900144, missing.ErrorCode);
        Assert.Contains("'device_code'", missing.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_confidential_app_polling_without_its_secret_is_refused_before_the_code_is_judged()
    {
        await using var env = await StartAsync();
        var (deviceCode, _) = Codes(await StartV2Async(env, DemoDirectory.ConfidentialAppId, extra: ("client_secret", DemoDirectory.ConfidentialSecret)));

        var poll = await PollV2Async(env, deviceCode, DemoDirectory.ConfidentialAppId);

        Assert.Equal((HttpStatusCode.Unauthorized, "invalid_client", 7000218), (poll.Status, poll.Error, poll.ErrorCode));
    }

    [Fact]
    public async Task A_browser_with_a_session_picks_its_account_without_a_password()
    {
        await using var env = await StartAsync();
        using var browser = new Browser(env.Emulator);
        var first = Codes(await StartV2Async(env));
        await browser.SignInAsync(await browser.DeviceLoginAsync(first.UserCode), DemoDirectory.Adele);
        var (deviceCode, userCode) = Codes(await StartV2Async(env));

        var picker = await browser.DeviceLoginAsync(userCode);
        Assert.Contains("id=\"pickerForm\"", picker.Body, StringComparison.Ordinal);
        var done = await browser.SubmitAsync(picker, ("action", "continue"));
        var tokens = await PollV2Async(env, deviceCode);

        Assert.Contains("id=\"deviceSignedIn\"", done.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
    }

    [Fact]
    public async Task On_organizations_the_tenant_comes_from_the_user_who_signs_in()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await env.Sts.PostFormAsync("organizations/oauth2/v2.0/devicecode",
            [("client_id", DemoDirectory.NativeAppId), ("scope", GraphScope)]));
        Task<Reply> Poll() => env.Sts.PostFormAsync("organizations/oauth2/v2.0/token",
            [("grant_type", "device_code"), ("client_id", DemoDirectory.NativeAppId), ("device_code", deviceCode)]);

        var pending = await Poll();
        using var browser = new Browser(env.Emulator);
        await browser.SignInAsync(await browser.DeviceLoginAsync(userCode), DemoDirectory.Adele);
        var tokens = await Poll();

        Assert.Equal("authorization_pending", pending.Error);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal(DemoDirectory.TenantId, JwtParts.Decode(tokens.Json.GetProperty("access_token").GetString()!).Claim("tid"));
    }

    [Fact]
    public async Task Five_wrong_mfa_codes_end_the_device_sign_in_as_authorization_declined_500121()
    {
        await using var env = await StartAsync();
        var (deviceCode, userCode) = Codes(await StartV2Async(env));
        using var browser = new Browser(env.Emulator);
        var page = await browser.SignInAsync(await browser.DeviceLoginAsync(userCode), DemoDirectory.MfaUser);

        for (var i = 0; i < 5; i++) page = await browser.SubmitAsync(page, ("otc", "not-a-code"), ("action", "verify"));
        var poll = await PollV2Async(env, deviceCode);

        Assert.Contains("AADSTS500121", page.Body, StringComparison.Ordinal);
        Assert.Equal(("authorization_declined", 500121), (poll.Error, poll.ErrorCode));
    }

    [Fact]
    public async Task Hostile_bodies_and_forged_forms_get_errors_never_a_500()
    {
        await using var env = await StartAsync();
        using var json = new HttpRequestMessage(HttpMethod.Post, $"{DemoDirectory.TenantDomain}/oauth2/v2.0/devicecode")
        {
            Content = new StringContent("""{"client_id":"x","scope":"openid"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        var jsonBody = await env.Sts.SendAsync(json);
        var hugeCode = await PollV2Async(env, new string('A', 20_000));
        var noCookie = await env.Sts.PostFormAsync("devicelogin", [("otc", "ABCDEFGHJ"), ("canary", "x")]);
        var forgedFlow = await env.Sts.PostFormAsync("devicelogin/confirm", [("flowToken", "nope"), ("canary", "x"), ("action", "continue")]);

        Assert.Equal((HttpStatusCode.BadRequest, 900144), (jsonBody.Status, jsonBody.ErrorCode));
        Assert.Equal("bad_verification_code", hugeCode.Error);
        Assert.Equal(HttpStatusCode.BadRequest, noCookie.Status);
        Assert.Contains("AADSTS90100", noCookie.Body, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, forgedFlow.Status);
        Assert.Contains("AADSTS90100", forgedFlow.Body, StringComparison.Ordinal);
    }

    [GeneratedRegex("^[A-Z0-9]{9}$")]
    private static partial Regex UserCodeShape();
}
