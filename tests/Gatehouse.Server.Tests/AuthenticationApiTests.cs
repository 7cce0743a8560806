using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Server.Tests;

public class AuthenticationApiTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private GatehouseTestServer Server => tenant.Server;

    [Fact]
    public async Task Discovery_document_names_our_endpoints_with_the_trailing_slash_issuer()
    {
        var doc = await HttpAssert.OkJsonAsync(await Server.Client.GetAsync(".well-known/openid-configuration"));
        Assert.Equal(Server.Issuer, doc.GetProperty("issuer").GetString());
        Assert.EndsWith("/", doc.GetProperty("issuer").GetString(), StringComparison.Ordinal);
        Assert.Equal(Server.Issuer + "oauth/token", doc.GetProperty("token_endpoint").GetString());
        Assert.Equal(Server.Issuer + "userinfo", doc.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal(Server.Issuer + ".well-known/jwks.json", doc.GetProperty("jwks_uri").GetString());
        Assert.Equal(Server.Issuer + "oauth/revoke", doc.GetProperty("revocation_endpoint").GetString());
        Assert.Contains("RS256", doc.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task Jwks_publishes_the_signing_key_with_certificate_and_sha1_thumbprint()
    {
        var jwks = await HttpAssert.OkJsonAsync(await Server.Client.GetAsync(".well-known/jwks.json"));
        var key = jwks.GetProperty("keys")[0];
        Assert.Equal(("RSA", "sig", "RS256", "AQAB"), (key.GetProperty("kty").GetString(), key.GetProperty("use").GetString(), key.GetProperty("alg").GetString(), key.GetProperty("e").GetString()));
        using var certificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(key.GetProperty("x5c")[0].GetString()!));
        Assert.Equal(Base64UrlEncode(Convert.FromHexString(certificate.Thumbprint)), key.GetProperty("x5t").GetString()); // Thumbprint is the SHA-1 hash
        var modulus = certificate.GetRSAPublicKey()!.ExportParameters(false).Modulus!;
        Assert.Equal(Base64UrlEncode(modulus), key.GetProperty("n").GetString());

        var login = await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync());
        Assert.Equal(key.GetProperty("kid").GetString(), new JsonWebToken(login.GetProperty("access_token").GetString()).Kid);
    }

    [Fact]
    public async Task Password_grant_uses_the_default_directory_and_returns_every_token()
    {
        var response = await tenant.PasswordLoginAsync();
        var body = await HttpAssert.OkJsonAsync(response);

        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        Assert.Contains("no-cache", response.Headers.Pragma.ToString(), StringComparison.Ordinal);
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("openid profile email offline_access read:things", body.GetProperty("scope").GetString());
        Assert.StartsWith("v1.", body.GetProperty("refresh_token").GetString(), StringComparison.Ordinal);
        var access = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal([TestTenant.ApiAudience, Server.Issuer + "userinfo"], access.Audiences);
        Assert.Equal((tenant.UserId, Server.Issuer, "password"), (access.Subject, access.Issuer, access.GetPayloadValue<string>("gty")));
        var id = new JsonWebToken(body.GetProperty("id_token").GetString());
        Assert.Equal([tenant.NativeClientId], id.Audiences);
        Assert.Equal(TestTenant.UserEmail, id.GetPayloadValue<string>("email"));
        Assert.Equal("Pat", id.GetPayloadValue<string>("given_name"));
    }

    [Fact]
    public async Task Password_realm_accepts_a_json_body()
    {
        var response = await Server.Client.PostAsJsonAsync("oauth/token", new
        {
            grant_type = "http://auth0.com/oauth/grant-type/password-realm",
            client_id = tenant.NativeClientId,
            username = TestTenant.UserEmail,
            password = TestTenant.UserPassword,
            realm = TestTenant.Connection,
            scope = new[] { "openid" },
        });
        var body = await HttpAssert.OkJsonAsync(response);
        Assert.Equal("openid profile email", body.GetProperty("scope").GetString());
        Assert.False(body.TryGetProperty("refresh_token", out _));
        Assert.Equal([Server.Issuer + "userinfo"], new JsonWebToken(body.GetProperty("access_token").GetString()).Audiences);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_403()
    {
        var wrong = await tenant.PasswordLoginAsync(password: "not-it");
        var unknown = await tenant.TokenAsync(("grant_type", "password"), ("client_id", tenant.NativeClientId), ("username", "nobody@example.com"), ("password", "not-it"));
        var first = await HttpAssert.OAuthErrorAsync(wrong, 403, "invalid_grant", "Wrong email or password.");
        var second = await HttpAssert.OAuthErrorAsync(unknown, 403, "invalid_grant", "Wrong email or password.");
        Assert.Equal(first.GetRawText(), second.GetRawText());
    }

    [Fact]
    public async Task Client_credentials_get_a_management_token_and_basic_auth_works()
    {
        var credentials = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Server.ManagementClientId}:{Server.ManagementClientSecret}"));
        using var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["audience"] = Server.ManagementAudience }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", credentials);
        var body = await HttpAssert.OkJsonAsync(await Server.Client.SendAsync(request));

        Assert.Equal(86400, body.GetProperty("expires_in").GetInt32());
        Assert.Contains("read:clients", body.GetProperty("scope").GetString()!.Split(' '));
        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal($"{Server.ManagementClientId}@clients", token.Subject);
        Assert.Equal("client-credentials", token.GetPayloadValue<string>("gty"));
        Assert.Equal([Server.ManagementAudience], token.Audiences);
    }

    [Fact]
    public async Task Refresh_rotates_and_reusing_an_old_token_revokes_the_family()
    {
        var first = (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync())).GetProperty("refresh_token").GetString()!;
        var refreshed = await HttpAssert.OkJsonAsync(await tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.NativeClientId), ("refresh_token", first)));
        var second = refreshed.GetProperty("refresh_token").GetString()!;
        Assert.NotEqual(first, second);
        Assert.True(refreshed.TryGetProperty("id_token", out _));

        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.NativeClientId), ("refresh_token", first)),
            403, "invalid_grant", "Unknown or invalid refresh token.");
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.NativeClientId), ("refresh_token", second)),
            403, "invalid_grant");
    }

    [Fact]
    public async Task Userinfo_returns_the_profile_for_the_token_and_401_otherwise()
    {
        var access = (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync(scope: "openid email", audience: null))).GetProperty("access_token").GetString();
        using var get = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        var info = await HttpAssert.OkJsonAsync(await Server.Client.SendAsync(get));
        Assert.Equal(tenant.UserId, info.GetProperty("sub").GetString());
        Assert.Equal(TestTenant.UserEmail, info.GetProperty("email").GetString());
        Assert.False(info.TryGetProperty("given_name", out _));

        using var post = new HttpRequestMessage(HttpMethod.Post, "userinfo");
        post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access);
        Assert.Equal(HttpStatusCode.OK, (await Server.Client.SendAsync(post)).StatusCode);

        using var bad = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        bad.Headers.Authorization = new AuthenticationHeaderValue("Bearer", access![..^4] + "AAAA");
        var refused = await Server.Client.SendAsync(bad);
        await HttpAssert.OAuthErrorAsync(refused, 401, "invalid_token");
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        var missing = await Server.Client.GetAsync("userinfo");
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.StartsWith("Bearer", missing.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        var management = await Server.GetManagementTokenAsync();
        using var m2m = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        m2m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", management);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client.SendAsync(m2m)).StatusCode);
    }

    [Fact]
    public async Task Revoke_kills_the_refresh_token_and_succeeds_for_unknown_tokens()
    {
        var token = (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync())).GetProperty("refresh_token").GetString()!;
        Task<HttpResponseMessage> Revoke(params (string, string)[] p) =>
            Server.Client.PostAsync("oauth/revoke", new FormUrlEncodedContent(p.Select(x => KeyValuePair.Create(x.Item1, x.Item2))));

        Assert.Equal(HttpStatusCode.OK, (await Revoke(("client_id", tenant.NativeClientId), ("token", token))).StatusCode);
        await HttpAssert.OAuthErrorAsync(await tenant.TokenAsync(("grant_type", "refresh_token"), ("client_id", tenant.NativeClientId), ("refresh_token", token)), 403, "invalid_grant");
        Assert.Equal(HttpStatusCode.OK, (await Revoke(("client_id", tenant.NativeClientId), ("token", "v1.never-issued"))).StatusCode);
        await HttpAssert.OAuthErrorAsync(await Revoke(("client_id", "no-such-client"), ("token", token)), 401, "invalid_client");
        await HttpAssert.OAuthErrorAsync(await Revoke(("client_id", tenant.NativeClientId)), 400, "invalid_request");
    }

    [Fact]
    public async Task Legacy_ro_returns_userinfo_tokens_and_a_refresh_token_only_with_device()
    {
        Task<HttpResponseMessage> Ro(object body) => Server.Client.PostAsJsonAsync("oauth/ro", body);

        var plain = await HttpAssert.OkJsonAsync(await Ro(new { client_id = tenant.NativeClientId, connection = TestTenant.Connection, grant_type = "password", username = TestTenant.UserEmail, password = TestTenant.UserPassword, scope = "openid offline_access" }));
        Assert.Equal("Bearer", plain.GetProperty("token_type").GetString());
        Assert.True(plain.TryGetProperty("id_token", out _));
        Assert.False(plain.TryGetProperty("refresh_token", out _));
        Assert.Equal([Server.Issuer + "userinfo"], new JsonWebToken(plain.GetProperty("access_token").GetString()).Audiences);

        var withDevice = await HttpAssert.OkJsonAsync(await Ro(new { client_id = tenant.NativeClientId, connection = TestTenant.Connection, grant_type = "password", username = TestTenant.UserEmail, password = TestTenant.UserPassword, scope = "openid offline_access", device = "my-phone" }));
        Assert.True(withDevice.TryGetProperty("refresh_token", out _));

        await HttpAssert.OAuthErrorAsync(await Ro(new { client_id = tenant.NativeClientId, connection = TestTenant.Connection, grant_type = "password", username = TestTenant.UserEmail, password = "nope" }),
            401, "invalid_user_password", "Wrong email or password.");
        await HttpAssert.OAuthErrorAsync(await Ro(new { client_id = tenant.NativeClientId, grant_type = "password", username = "u", password = "p" }),
            400, "invalid_request", "Missing required parameter: connection");
        await HttpAssert.OAuthErrorAsync(await Ro(new { client_id = tenant.NativeClientId, grant_type = "client_credentials" }), 400, "unsupported_grant_type");

        var m2m = await tenant.PostAsync("clients", new { name = "No legacy", app_type = "native", grant_types = new[] { "password" } });
        await HttpAssert.OAuthErrorAsync(await Ro(new { client_id = m2m.GetProperty("client_id").GetString(), connection = TestTenant.Connection, grant_type = "password", username = "u", password = "p" }),
            403, "unauthorized_client", "Grant type 'http://auth0.com/oauth/legacy/grant-type/ro' not allowed for the client.");
    }

    [Fact]
    public async Task Logins_are_audited_with_auth0_log_codes()
    {
        await tenant.PasswordLoginAsync();
        await tenant.PasswordLoginAsync(password: "wrong-password");
        using var management = await Server.CreateManagementClientAsync();
        var logs = await HttpAssert.OkJsonAsync(await management.GetAsync("logs?per_page=100"));
        var types = logs.EnumerateArray().Select(l => l.GetProperty("type").GetString()).ToList();
        Assert.Contains("sepft", types);
        Assert.Contains("fp", types);
        Assert.Contains("seccft", types);
        Assert.DoesNotContain(logs.EnumerateArray(), l => l.GetRawText().Contains(TestTenant.UserPassword, StringComparison.Ordinal));
        var fp = logs.EnumerateArray().First(l => l.GetProperty("type").GetString() == "fp");
        Assert.Equal((TestTenant.UserEmail, TestTenant.Connection, "database"), (fp.GetProperty("user_name").GetString(), fp.GetProperty("connection").GetString(), fp.GetProperty("strategy_type").GetString()));
    }

    private static string Base64UrlEncode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
