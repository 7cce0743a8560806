using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AzureAd.Tests.Fakes;

public sealed record RecordedRequest(HttpMethod Method, Uri Url, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public Dictionary<string, string> Form => Body.Length == 0 ? [] : Body.Split('&')
        .Select(p => p.Split('=', 2))
        .ToDictionary(p => WebUtility.UrlDecode(p[0]), p => WebUtility.UrlDecode(p.Length > 1 ? p[1] : ""));

    public bool IsToken => Method == HttpMethod.Post && Url.AbsolutePath.Contains("/oauth2/", StringComparison.Ordinal);
}

public sealed record StubUser(string Password, string Oid, string Sub);

/// <summary>
/// A scripted Azure AD behind an HttpMessageHandler: discovery, keys, v1/v2 token endpoints with the client rules
/// (public vs confidential) checked before the user, a per-user failed-password counter, and Graph hooks.
/// </summary>
public sealed class StubAzure : HttpMessageHandler
{
    public const string Authority = "https://login.test/";
    public const string GraphBase = "https://graph.test/";
    public const string AadGraphBase = "https://aadgraph.test/";
    public const string TenantDomain = "contoso.onmicrosoft.com";
    public const string ClientId = "0d4c8b9e-2f6b-4a8c-9a53-6a1f3e2b7c11";
    public const string AppId = "https://contoso.onmicrosoft.com/api";
    public const string UserName = "adele@contoso.onmicrosoft.com";
    public const string Password = "Correct-Horse-Battery-1";
    public const string Oid = "87d349ed-44d7-43e1-9a83-5f2406dee5bd";
    public const string Sub = "AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ";
    public static readonly Guid TenantId = Guid.Parse("72f988bf-86f1-41af-91ab-2d7cd011db47");

    private static readonly RsaSecurityKey SharedKey = NewKey("key-1"); // RSA generation is slow: one per run

    private readonly FakeTimeProvider time;

    public StubAzure(FakeTimeProvider time)
    {
        this.time = time;
        SigningKey = SharedKey;
        PublishedKeys = [SigningKey];
        Users[UserName] = new StubUser(Password, Oid, Sub);
    }

    public static string V1Issuer => $"https://sts.test/{TenantId}/";

    public static string V2Issuer => $"https://login.test/{TenantId}/v2.0";

    public List<RecordedRequest> Requests { get; } = [];

    public IEnumerable<RecordedRequest> TokenRequests => Requests.Where(r => r.IsToken);

    public Dictionary<string, StubUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, int> FailedPasswords { get; } = new(StringComparer.OrdinalIgnoreCase);

    public bool AppIsPublic { get; set; } = true;

    public string? AppSecret { get; set; } = "real-secret";

    public RsaSecurityKey SigningKey { get; set; }

    public List<RsaSecurityKey> PublishedKeys { get; set; }

    public int KeyFetches { get; private set; }

    /// <summary>Return a response to override the token endpoint; null falls through to the default behaviour.</summary>
    public Func<RecordedRequest, HttpResponseMessage?>? OnToken { get; set; }

    public Func<RecordedRequest, HttpResponseMessage?>? OnDiscovery { get; set; }

    public Func<RecordedRequest, HttpResponseMessage>? OnGraph { get; set; }

    /// <summary>Changes the id_token claims (or header algorithm through "alg") before signing.</summary>
    public Action<Dictionary<string, object>>? TweakClaims { get; set; }

    /// <summary>Produces the id_token itself instead of the default signer.</summary>
    public Func<Dictionary<string, object>, bool, string>? IdTokenFactory { get; set; }

    public Func<RecordedRequest, CancellationToken, Task>? BeforeAnswer { get; set; }

    public static RsaSecurityKey NewKey(string kid) => new(RSA.Create(2048)) { KeyId = kid };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancellationToken);
        var headers = request.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        if (BeforeAnswer is not null)
        {
            await BeforeAnswer(recorded, cancellationToken);
        }

        var url = request.RequestUri!;
        if (url.AbsoluteUri.StartsWith(GraphBase, StringComparison.Ordinal) || url.AbsoluteUri.StartsWith(AadGraphBase, StringComparison.Ordinal))
        {
            return OnGraph?.Invoke(recorded) ?? new HttpResponseMessage(HttpStatusCode.NotFound);
        }

        var path = url.AbsolutePath;
        var tenant = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        var knownTenant = tenant == TenantDomain || tenant == TenantId.ToString() || tenant is "organizations" or "common";
        if (path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
        {
            if (OnDiscovery?.Invoke(recorded) is { } d)
            {
                return d;
            }

            if (!knownTenant)
            {
                return Error(400, "invalid_tenant", 90002);
            }

            var templated = tenant is "organizations" or "common";
            var tid = templated ? "{tenantid}" : TenantId.ToString();
            var issuer = path.Contains("/v2.0/", StringComparison.Ordinal) ? $"https://login.test/{tid}/v2.0" : $"https://sts.test/{tid}/";
            return Json(200, new JsonObject { ["issuer"] = issuer, ["token_endpoint"] = $"{Authority}{tid}/oauth2/token" });
        }

        if (path.Contains("/discovery/", StringComparison.Ordinal) && path.EndsWith("/keys", StringComparison.Ordinal))
        {
            KeyFetches++;
            return Json(200, Jwks(PublishedKeys));
        }

        if (path.EndsWith("/oauth2/token", StringComparison.Ordinal) || path.EndsWith("/oauth2/v2.0/token", StringComparison.Ordinal))
        {
            if (OnToken?.Invoke(recorded) is { } answer)
            {
                return answer;
            }

            return knownTenant ? DefaultToken(recorded, v1: !path.Contains("/v2.0/", StringComparison.Ordinal)) : Error(400, "invalid_request", 90002);
        }

        return new HttpResponseMessage(HttpStatusCode.NotFound);
    }

    /// <summary>Client authentication first (as Azure answers it), then the user; a wrong password counts toward lockout.</summary>
    private HttpResponseMessage DefaultToken(RecordedRequest r, bool v1)
    {
        var form = r.Form;
        var sentSecret = form.TryGetValue("client_secret", out var secret);
        if (AppIsPublic && sentSecret)
        {
            return Error(401, "invalid_client", 700025);
        }

        if (!AppIsPublic && !sentSecret)
        {
            return Error(401, "invalid_client", 7000218);
        }

        if (!AppIsPublic && secret != AppSecret)
        {
            return Error(401, "invalid_client", 7000215);
        }

        if (form["grant_type"] == "refresh_token")
        {
            return Json(200, new JsonObject { ["access_token"] = "graph-access-token", ["refresh_token"] = "refresh-token-2", ["token_type"] = "Bearer" });
        }

        var username = form["username"];
        if (!Users.TryGetValue(username, out var user))
        {
            return Error(400, "invalid_grant", 50034);
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(form["password"]), Encoding.UTF8.GetBytes(user.Password)))
        {
            FailedPasswords[username] = FailedPasswords.GetValueOrDefault(username) + 1;
            return Error(400, "invalid_grant", 50126);
        }

        var claims = Claims(username, user, v1);
        TweakClaims?.Invoke(claims);
        var idToken = IdTokenFactory?.Invoke(claims, v1) ?? (v1 ? Unsigned(claims) : Signed(claims, SigningKey));
        var response = new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = v1 ? "3599" : 3599,
            ["access_token"] = "user-access-token",
            ["refresh_token"] = "refresh-token-1",
            ["id_token"] = idToken,
        };
        return Json(200, response);
    }

    public Dictionary<string, object> Claims(string username, StubUser user, bool v1)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var claims = new Dictionary<string, object>
        {
            ["aud"] = ClientId,
            ["iss"] = v1 ? V1Issuer : V2Issuer,
            ["iat"] = now,
            ["nbf"] = now,
            ["exp"] = now + 3600,
            ["tid"] = TenantId.ToString(),
            ["oid"] = user.Oid,
            ["sub"] = user.Sub,
            ["name"] = "Adele Vance",
            ["ver"] = v1 ? "1.0" : "2.0",
        };
        if (v1)
        {
            claims["upn"] = username;
            claims["unique_name"] = username;
            claims["given_name"] = "Adele";
            claims["family_name"] = "Vance";
        }
        else
        {
            claims["preferred_username"] = username;
        }

        return claims;
    }

    public static string Signed(Dictionary<string, object> claims, SecurityKey key, string alg = SecurityAlgorithms.RsaSha256)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor { Claims = claims, SigningCredentials = new SigningCredentials(key, alg) });
    }

    public static string Unsigned(Dictionary<string, object> claims) =>
        B64("{\"typ\":\"JWT\",\"alg\":\"none\"}") + "." + B64(JsonSerializer.Serialize(claims)) + ".";

    private static string B64(string s) => Base64UrlEncoder.Encode(s);

    public static JsonObject Jwks(IEnumerable<RsaSecurityKey> keys)
    {
        var arr = new JsonArray();
        foreach (var k in keys)
        {
            var p = k.Rsa.ExportParameters(false);
            arr.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["use"] = "sig",
                ["kid"] = k.KeyId,
                ["n"] = Base64UrlEncoder.Encode(p.Modulus!),
                ["e"] = Base64UrlEncoder.Encode(p.Exponent!),
            });
        }

        return new JsonObject { ["keys"] = arr };
    }

    public static HttpResponseMessage Json(int status, JsonNode body, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    }

    public static HttpResponseMessage Error(int status, string error, int code, string? suberror = null, TimeSpan? retryAfter = null, int[]? codes = null)
    {
        var body = new JsonObject
        {
            ["error"] = error,
            ["error_description"] = $"AADSTS{code}: Something happened.\r\nTrace ID: 533bf45e-1c05-4e8a-bb1b-313991a73a00\r\nCorrelation ID: 7c77db90-c37c-465a-9e7a-553fe968c700\r\nTimestamp: 2026-03-01 12:00:00Z",
            ["error_codes"] = new JsonArray([.. (codes ?? [code]).Select(c => (JsonNode?)c)]),
            ["timestamp"] = "2026-03-01 12:00:00Z",
            ["trace_id"] = "533bf45e-1c05-4e8a-bb1b-313991a73a00",
            ["correlation_id"] = "7c77db90-c37c-465a-9e7a-553fe968c700",
            ["error_uri"] = $"https://login.test/error?code={code}",
        };
        if (suberror is not null)
        {
            body["suberror"] = suberror;
        }

        return Json(status, body, retryAfter);
    }

    public static HttpResponseMessage Text(int status, string text, TimeSpan? retryAfter = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status) { Content = new StringContent(text) };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(wait);
        }

        return response;
    }
}
