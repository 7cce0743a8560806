using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Connections.Upstream.Tests;

/// <summary>An in-process OpenID Provider: a key set at <see cref="KeysUrl"/>, tokens it signs, and a count of key fetches.</summary>
public sealed class FakeIssuer : HttpMessageHandler
{
    public static readonly Uri KeysUrl = new("https://issuer.test/keys");
    public const string Issuer = "https://issuer.test/";
    public const string ClientId = "client-1";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    public FakeIssuer(DateTimeOffset now)
    {
        Now = now;
        SigningKey = NewKey("key-1");
        PublishedKeys = [SigningKey];
    }

    public DateTimeOffset Now { get; }

    public RsaSecurityKey SigningKey { get; set; }

    public IReadOnlyList<RsaSecurityKey> PublishedKeys { get; set; }

    public int KeyFetches { get; private set; }

    /// <summary>One RSA key the issuer never published: made-up kids share it, so a flood of them costs no key generation.</summary>
    private static readonly RSA Stranger = RSA.Create(2048);

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    public static RsaSecurityKey StrangerKey(string kid) => new(Stranger) { KeyId = kid };

    /// <summary>A token the way a provider issues it, after <paramref name="tweak"/> changed its claims.</summary>
    public string Token(Action<Dictionary<string, object>>? tweak = null, SecurityKey? key = null, string algorithm = SecurityAlgorithms.RsaSha256)
    {
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["aud"] = ClientId,
            ["sub"] = "user-1",
            ["iat"] = Now.ToUnixTimeSeconds(),
            ["exp"] = Now.AddHours(1).ToUnixTimeSeconds(),
        };
        tweak?.Invoke(claims);
        return Handler.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, algorithm),
        });
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri != KeysUrl)
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound));
        KeyFetches++;
        var keys = PublishedKeys.Select(k =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(new RsaSecurityKey(k.Rsa.ExportParameters(false)) { KeyId = k.KeyId });
            return new { kty = "RSA", use = "sig", kid = k.KeyId, n = jwk.N, e = jwk.E };
        });
        var body = JsonSerializer.Serialize(new { keys });
        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(body, Encoding.UTF8, "application/json") });
    }
}
