using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Server.Tests.Hostile;

/// <summary>
/// Forged, altered and misused JWTs presented as bearer tokens to the Management API and /userinfo: each is a 401 in
/// the endpoint's own shape (never a 500) and changes nothing. The control token, minted the same way with the right
/// key and claims, is accepted, so each refusal is down to the one thing the case changes.
/// </summary>
[Collection(DemoTenantCollection.Name)]
public class JwtAttackTests(DemoTenant tenant)
{
    private sealed record Target(string Audience, string Subject, string Scope);

    private async Task<(SigningKeyMaterial Key, TenantIssuer Issuer)> OursAsync()
    {
        var services = tenant.Server.Services;
        return ((await services.GetRequiredService<SigningKeyService>().GetRingAsync(CancellationToken.None)).Current, services.GetRequiredService<TenantIssuer>());
    }

    private static Dictionary<string, object> Claims(TenantIssuer issuer, object audience, string subject, string scope, DateTimeOffset? now = null)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        return new Dictionary<string, object>
        {
            ["iss"] = issuer.Issuer,
            ["sub"] = subject,
            ["aud"] = audience,
            ["azp"] = "attacker-app",
            ["scope"] = scope,
            ["iat"] = at.ToUnixTimeSeconds(),
            ["exp"] = at.AddHours(1).ToUnixTimeSeconds(),
        };
    }

    private static string Sign(SigningCredentials credentials, Dictionary<string, object> claims, Dictionary<string, object>? header = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            SigningCredentials = credentials,
            Claims = claims,
            AdditionalHeaderClaims = header,
        });

    private static string Unsigned(Dictionary<string, object> header, Dictionary<string, object> claims, string signature = "") =>
        $"{Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(header))}.{Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(claims))}.{signature}";

    private static SigningCredentials Attacker(string kid) =>
        new(new RsaSecurityKey(RSA.Create(2048)) { KeyId = kid }, SecurityAlgorithms.RsaSha256);

    /// <summary>Each attack: the token it presents, built from our key, issuer and the endpoint's target claims.</summary>
    private static readonly Dictionary<string, Func<SigningKeyMaterial, TenantIssuer, Target, string>> Attacks = new()
    {
        ["alg none"] = (key, iss, t) => Unsigned(new() { ["alg"] = "none", ["typ"] = "JWT", ["kid"] = key.Kid }, Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["alg NONE, signature kept"] = (key, iss, t) =>
        {
            var real = Sign(key.Credentials, Claims(iss, t.Audience, t.Subject, t.Scope)).Split('.');
            return Unsigned(new() { ["alg"] = "NONE", ["kid"] = key.Kid }, Claims(iss, t.Audience, t.Subject, t.Scope), real[2]);
        },
        ["HS256 keyed with our public key (algorithm confusion)"] = (key, iss, t) =>
        {
            var publicPem = Encoding.UTF8.GetBytes(key.SecurityKey.Rsa?.ExportSubjectPublicKeyInfoPem() ?? key.Certificate.GetRSAPublicKey()!.ExportSubjectPublicKeyInfoPem());
            return Sign(new SigningCredentials(new SymmetricSecurityKey(publicPem) { KeyId = key.Kid }, SecurityAlgorithms.HmacSha256), Claims(iss, t.Audience, t.Subject, t.Scope));
        },
        ["HS256 keyed with the modulus"] = (key, iss, t) =>
            Sign(new SigningCredentials(new SymmetricSecurityKey(Base64Url.Decode(key.Jwk.N)) { KeyId = key.Kid }, SecurityAlgorithms.HmacSha256), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["another key under our kid"] = (key, iss, t) => Sign(Attacker(key.Kid), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["unknown kid"] = (_, iss, t) => Sign(Attacker("not-a-key-of-ours"), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["no kid"] = (_, iss, t) => Sign(new SigningCredentials(new RsaSecurityKey(RSA.Create(2048)), SecurityAlgorithms.RsaSha256), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["kid path traversal"] = (_, iss, t) => Sign(Attacker("../../../../../../etc/passwd"), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["kid SQL injection"] = (_, iss, t) => Sign(Attacker("x' UNION SELECT 'secret' --"), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["kid URL"] = (_, iss, t) => Sign(Attacker("https://attacker.example/jwks.json"), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["kid with NUL"] = (_, iss, t) => Sign(Attacker("k\0id"), Claims(iss, t.Audience, t.Subject, t.Scope)),
        ["jku to the attacker's key set"] = (_, iss, t) => Sign(Attacker("a1"), Claims(iss, t.Audience, t.Subject, t.Scope), new() { ["jku"] = "https://attacker.example/jwks.json" }),
        ["x5u to the attacker's certificate"] = (_, iss, t) => Sign(Attacker("a2"), Claims(iss, t.Audience, t.Subject, t.Scope), new() { ["x5u"] = "https://attacker.example/cert.pem" }),
        ["embedded jwk of the signing key"] = (_, iss, t) =>
        {
            using var rsa = RSA.Create(2048);
            var p = rsa.ExportParameters(false);
            var credentials = new SigningCredentials(new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "embedded" }, SecurityAlgorithms.RsaSha256);
            return Sign(credentials, Claims(iss, t.Audience, t.Subject, t.Scope), new()
            {
                ["jwk"] = new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = "embedded", ["n"] = Base64Url.Encode(p.Modulus!), ["e"] = Base64Url.Encode(p.Exponent!) },
            });
        },
        ["wrong issuer"] = (key, _, t) => Sign(key.Credentials, Claims(new TenantIssuer("https://attacker.example/"), t.Audience, t.Subject, t.Scope)),
        ["wrong audience"] = (key, iss, t) => Sign(key.Credentials, Claims(iss, "https://api.attacker.example/", t.Subject, t.Scope)),
        ["no audience"] = (key, iss, t) =>
        {
            var claims = Claims(iss, t.Audience, t.Subject, t.Scope);
            claims.Remove("aud");
            return Sign(key.Credentials, claims);
        },
        ["expired"] = (key, iss, t) => Sign(key.Credentials, Claims(iss, t.Audience, t.Subject, t.Scope, DateTimeOffset.UtcNow.AddHours(-2))),
        ["no expiry"] = (key, iss, t) =>
        {
            var claims = Claims(iss, t.Audience, t.Subject, t.Scope);
            claims.Remove("exp");
            return Sign(key.Credentials, claims);
        },
        ["not valid yet (nbf)"] = (key, iss, t) =>
        {
            var claims = Claims(iss, t.Audience, t.Subject, t.Scope);
            claims["nbf"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds();
            return Sign(key.Credentials, claims);
        },
        ["tampered payload"] = (key, iss, t) =>
        {
            var parts = Sign(key.Credentials, Claims(iss, t.Audience, t.Subject, "read:nothing")).Split('.');
            return $"{parts[0]}.{Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(Claims(iss, t.Audience, t.Subject, t.Scope)))}.{parts[2]}";
        },
        ["tampered header (kid swapped)"] = (key, iss, t) =>
        {
            var parts = Sign(key.Credentials, Claims(iss, t.Audience, t.Subject, t.Scope)).Split('.');
            return $"{Base64Url.Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["alg"] = "RS256", ["kid"] = key.Kid + "x" }))}.{parts[1]}.{parts[2]}";
        },
        ["signature stripped"] = (key, iss, t) =>
        {
            var parts = Sign(key.Credentials, Claims(iss, t.Audience, t.Subject, t.Scope)).Split('.');
            return $"{parts[0]}.{parts[1]}.";
        },
        ["no azp (an id_token's shape)"] = (key, iss, t) =>
        {
            var claims = Claims(iss, t.Audience, t.Subject, t.Scope);
            claims.Remove("azp");
            claims.Remove("scope");
            return Sign(key.Credentials, claims);
        },
        ["JWE-shaped (five parts)"] = (_, _, _) => "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d",
        ["garbage"] = (_, _, _) => "%%%.@@@.###",
        ["over 16 KB"] = (key, iss, t) =>
        {
            var claims = Claims(iss, t.Audience, t.Subject, t.Scope);
            claims["padding"] = new string('a', 20_000);
            return Sign(key.Credentials, claims);
        },
    };

    public static TheoryData<string> AttackNames => new(Attacks.Keys);

    /// <summary>A real RS256 id_token from the Azure AD emulator's token endpoint: well formed, but not signed by us.</summary>
    private async Task<string> EmulatorSignedAsync()
    {
        using var client = new HttpClient(tenant.Emulator.CreateTrustingHandler());
        var response = await client.PostAsync($"{tenant.Emulator.BaseUrl.TrimEnd('/')}/{Gatehouse.AzureAd.Emulator.DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = Gatehouse.AzureAd.Emulator.DemoDirectory.NativeAppId,
                ["username"] = Gatehouse.AzureAd.Emulator.DemoDirectory.Adele,
                ["password"] = Gatehouse.AzureAd.Emulator.DemoDirectory.PasswordOf(Gatehouse.AzureAd.Emulator.DemoDirectory.Adele),
                ["scope"] = "openid profile",
            }));
        return (await HttpAssert.OkJsonAsync(response)).GetProperty("id_token").GetString()!;
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task Management_api_refuses(string attack)
    {
        var (key, issuer) = await OursAsync();
        var target = new Target(issuer.ManagementAudience, "attacker@clients", "read:clients create:clients");
        await AssertControlAcceptedAsync(Sign(key.Credentials, Claims(issuer, target.Audience, target.Subject, target.Scope)), management: true);
        await AssertManagementRefusedAsync(Attacks[attack](key, issuer, target));
    }

    [Theory]
    [MemberData(nameof(AttackNames))]
    public async Task Userinfo_refuses(string attack)
    {
        var (key, issuer) = await OursAsync();
        var alice = (await tenant.UsersAsync()).First(u => u.Email == DemoTenant.Alice.Email);
        var target = new Target(issuer.UserinfoAudience, alice.UserId, "openid profile email");
        await AssertControlAcceptedAsync(Sign(key.Credentials, Claims(issuer, target.Audience, target.Subject, target.Scope)), management: false);
        await AssertUserinfoRefusedAsync(Attacks[attack](key, issuer, target));
    }

    [Fact]
    public async Task An_id_token_is_not_an_access_token()
    {
        var response = await tenant.PasswordRealmAsync(DemoTenant.Realm, DemoTenant.Alice.Email, DemoTenant.Alice.Password);
        var idToken = (await HttpAssert.OkJsonAsync(response)).GetProperty("id_token").GetString()!;
        await AssertManagementRefusedAsync(idToken);
        await AssertUserinfoRefusedAsync(idToken);
    }

    [Fact]
    public async Task A_user_access_token_is_not_a_management_token_and_a_management_token_is_not_for_userinfo()
    {
        var response = await tenant.PasswordRealmAsync(DemoTenant.Realm, DemoTenant.Alice.Email, DemoTenant.Alice.Password);
        await AssertManagementRefusedAsync((await HttpAssert.OkJsonAsync(response)).GetProperty("access_token").GetString()!);
        await AssertUserinfoRefusedAsync(await tenant.Server.GetManagementTokenAsync());
    }

    [Fact]
    public async Task A_token_signed_by_the_azure_ad_emulator_is_refused()
    {
        var token = await EmulatorSignedAsync();
        await AssertManagementRefusedAsync(token);
        await AssertUserinfoRefusedAsync(token);
    }

    private async Task AssertControlAcceptedAsync(string token, bool management)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, management ? "api/v2/clients?per_page=1" : "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await tenant.Server.Client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the control token was refused: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task AssertManagementRefusedAsync(string token)
    {
        var before = await tenant.SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v2/clients") { Content = JsonContent.Create(new { name = "Forged" }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await HttpAssert.ManagementErrorAsync(await tenant.Server.Client.SendAsync(request), 401, "invalid_token");
        Assert.Equal(before, await tenant.SnapshotAsync());
    }

    private async Task AssertUserinfoRefusedAsync(string token)
    {
        var before = await tenant.SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await tenant.Server.Client.SendAsync(request);
        await HttpAssert.OAuthErrorAsync(response, 401, "invalid_token");
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, await tenant.SnapshotAsync());
    }
}
