using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AzureAd.Tests;

/// <summary>
/// The attacks on Azure AD's id_token that <see cref="TokenValidationTests"/> does not cover: header keys that point at
/// another key (jku, x5u, embedded jwk), kid tricks, a tampered payload or header, odd claim types and out-of-range
/// times. Each is a typed refusal (403 access_denied, "invalid token"), never an exception, and provisions nobody.
/// </summary>
public sealed class HostileTokenTests : WaadTestBase
{
    private static JsonObject V2() => With(BriefPayload(), ("client_secret", null));

    private static JsonObject V1() => With(V2(), ("identity_api", WaadOptionsParser.IdentityApiV1));

    private async Task AssertRefused(JsonObject options, string detailPart)
    {
        var writesBefore = Store.Updates + Store.Creates;
        var denied = AssertDenied(await Login(Create(options)), 403, "access_denied");
        Assert.Equal(WaadRefusals.InvalidTokenDescription, denied.Description);
        Assert.Contains(detailPart, denied.Detail, StringComparison.Ordinal);
        Assert.Equal(writesBefore, Store.Updates + Store.Creates);
    }

    private static string SignedWithHeader(Dictionary<string, object> claims, SecurityKey key, Dictionary<string, object> header) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            AdditionalHeaderClaims = header,
        });

    private static string B64(object value) => Base64UrlEncoder.Encode(JsonSerializer.Serialize(value));

    [Theory]
    [InlineData("jku", "https://attacker.example/keys")]
    [InlineData("x5u", "https://attacker.example/cert.pem")]
    public async Task A_header_url_to_the_attackers_keys_is_never_followed(string name, string url)
    {
        var attacker = StubAzure.NewKey("attacker");
        Azure.IdTokenFactory = (claims, _) => SignedWithHeader(claims, attacker, new() { [name] = url });
        await AssertRefused(V2(), "unknown key kid=attacker");
        Assert.DoesNotContain(Azure.Requests, r => r.Url.Host == "attacker.example");
    }

    [Fact]
    public async Task An_embedded_jwk_is_not_trusted_even_under_the_tenants_kid()
    {
        using var rsa = RSA.Create(2048);
        var p = rsa.ExportParameters(false);
        var attacker = new RsaSecurityKey(rsa.ExportParameters(true)) { KeyId = "key-1" };
        Azure.IdTokenFactory = (claims, _) => SignedWithHeader(claims, attacker, new()
        {
            ["jwk"] = new Dictionary<string, string> { ["kty"] = "RSA", ["kid"] = "key-1", ["n"] = Base64UrlEncoder.Encode(p.Modulus), ["e"] = Base64UrlEncoder.Encode(p.Exponent) },
        });
        await AssertRefused(V2(), "signature is invalid");
    }

    [Theory]
    [InlineData("../../../../etc/passwd")]
    [InlineData("' OR '1'='1")]
    [InlineData("https://attacker.example/jwks.json")]
    [InlineData("")]
    public async Task Kid_tricks_find_no_key(string kid)
    {
        var attacker = StubAzure.NewKey(kid);
        Azure.IdTokenFactory = (claims, _) => StubAzure.Signed(claims, attacker);
        await AssertRefused(V2(), kid.Length == 0 ? "signature is invalid" : "unknown key");
    }

    [Fact]
    public async Task A_tampered_payload_is_refused()
    {
        Azure.IdTokenFactory = (claims, _) =>
        {
            var parts = StubAzure.Signed(claims, Azure.SigningKey).Split('.');
            claims["oid"] = Guid.NewGuid().ToString();
            return $"{parts[0]}.{B64(claims)}.{parts[2]}";
        };
        await AssertRefused(V2(), "signature is invalid");
    }

    [Fact]
    public async Task A_header_rewritten_to_alg_none_keeps_no_signature_on_v1()
    {
        Azure.IdTokenFactory = (claims, _) =>
        {
            var parts = StubAzure.Signed(claims, Azure.SigningKey).Split('.');
            return $"{B64(new Dictionary<string, string> { ["alg"] = "none" })}.{parts[1]}.{parts[2]}";
        };
        await AssertRefused(V1(), "carries a signature");
    }

    [Theory]
    [InlineData("exp", "99999999999999999", "")] // far past DateTimeOffset: must not throw
    [InlineData("exp", "-99999999999999999", "expired")]
    [InlineData("nbf", "99999999999999999", "not valid yet")]
    [InlineData("tid", "{\"a\":1}", "no tenant id")]
    [InlineData("oid", "[1,2]", "no object id")]
    [InlineData("aud", "5", "not a JWT")] // the JWT library refuses a numeric aud while parsing
    [InlineData("sub", "{\"x\":1}", "")]
    public async Task Odd_claim_types_and_values_are_refusals_not_exceptions(string claim, string json, string detail)
    {
        // Unsigned v1 tokens are taken from an HTTPS authority as they are, so their claims reach the checks unverified.
        Azure.IdTokenFactory = (claims, _) =>
        {
            claims[claim] = JsonNode.Parse(json)!;
            return StubAzure.Unsigned(claims);
        };
        var result = await Login(Create(V1()));
        if (detail.Length == 0)
        {
            Assert.True(result is PasswordLoginResult.Success or PasswordLoginResult.Denied, result.GetType().Name);
            return;
        }
        var denied = AssertDenied(result, 403, "access_denied");
        Assert.Contains(detail, denied.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a jwt")]
    [InlineData("a.b.c")]
    [InlineData("....")]
    [InlineData("eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln")]
    [InlineData("eyJhbGciOjV9.e30.")] // alg is a number
    // Five parts are a JWE to the JWT library, which throws a bare FormatException on a part that is not base64url
    // (found by fuzz/run upstream-token; fuzz/corpus/upstream-token/regressions/jwe-part-not-base64url).
    [InlineData("eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.a.b.c.d")]
    [InlineData("eyJhbGciOiJSUzI1NiIsImtpZCI6ImsifQ.eyJpc3MiOiJodHRwczovL2xvZ2luIn0.c2ln.eHl6.YWJj")] // a JWE that parses
    public async Task A_malformed_id_token_is_a_refusal(string idToken)
    {
        Azure.IdTokenFactory = (_, _) => idToken;
        var denied = AssertDenied(await Login(Create(V2())), 403, "access_denied");
        Assert.Equal(WaadRefusals.InvalidTokenDescription, denied.Description);
    }

    [Fact]
    public async Task Non_ascii_garbage_in_a_token_is_a_refusal() =>
        await A_malformed_id_token_is_a_refusal(Encoding.UTF8.GetString([0xE2, 0x98, 0x83]) + ".x.y");
}
