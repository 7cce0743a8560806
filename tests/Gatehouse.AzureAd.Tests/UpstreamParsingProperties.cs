using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Connections.Upstream;

namespace Gatehouse.AzureAd.Tests;

/// <summary>
/// Whatever Azure AD (or something in its place) answers, a login ends in a typed result: a success, a refusal or an
/// outage. Random token-endpoint bodies, error bodies and id_tokens never escape as another exception.
/// </summary>
public sealed class UpstreamParsingProperties : WaadTestBase
{
    private static readonly string[] Pieces =
    [
        "{", "}", "[", "]", ",", ":", "\"", "access_token", "id_token", "refresh_token", "error", "error_codes", "50126", "\"x\"", "null", "1e400",
        "\\ud800", "\\u0000", "\"a\":1", "\"access_token\":\"t\"", "\"access_token\":\"t\",\"access_token\":\"u\"", "eyJhbGciOiJub25lIn0", ".", "é", "\0",
    ];

    private static string Junk(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(20)).Select(_ => Pieces[random.Next(Pieces.Length)]));

    [Property(MaxTest = 3000)]
    public bool A_200_token_body_is_tokens_or_an_upstream_failure(Guid seed)
    {
        var body = Junk(new Random(seed.GetHashCode()));
        try
        {
            return AzureTokenClient.ParseTokenResponse(body, "token").AccessToken is not null;
        }
        catch (UpstreamCallException)
        {
            return true;
        }
    }

    [Property(MaxTest = 3000)]
    public bool An_error_body_always_classifies(Guid seed, int status)
    {
        var error = AadError.Parse(status, Junk(new Random(seed.GetHashCode())), null);
        return error.HttpStatus == status;
    }

    private static string Part(Random random, object? json) =>
        Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(random.Next(6) == 0 ? Junk(random) : JsonSerializer.Serialize(json));

    [Property(MaxTest = 300)]
    public bool A_random_id_token_is_a_typed_result(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        Azure.IdTokenFactory = (claims, _) =>
        {
            foreach (var name in claims.Keys.ToList())
            {
                switch (random.Next(8))
                {
                    case 0: claims.Remove(name); break;
                    case 1: claims[name] = random.Next(); break;
                    case 2: claims[name] = Junk(random); break;
                    case 3: claims[name] = new[] { "a", "b" }; break;
                    case 4: claims[name] = long.MaxValue; break;
                }
            }
            var header = new Dictionary<string, object> { ["alg"] = new[] { "none", "RS256", "HS256", "", "NONE" }[random.Next(5)], ["kid"] = random.Next(2) == 0 ? "key-1" : Junk(random) };
            return $"{Part(random, header)}.{Part(random, claims)}.{(random.Next(2) == 0 ? "" : Junk(random))}";
        };
        var options = random.Next(2) == 0 ? With(BriefPayload(), ("client_secret", null)) : With(BriefPayload(), ("client_secret", null), ("identity_api", WaadOptionsParser.IdentityApiV1));
        try
        {
            var result = Login(Create(options)).GetAwaiter().GetResult();
            return result is PasswordLoginResult.Success or PasswordLoginResult.Denied;
        }
        catch (UpstreamUnavailableException)
        {
            return true;
        }
    }
}
