using System.Text;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Connections.Upstream;
using Gatehouse.Server.Authentication;
using Gatehouse.Server.Management;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Fuzz;

/// <summary>
/// One target per parser that reads what a client or Azure AD sends. A target returns normally for every input the
/// parser handles as designed (a parsed value or its typed refusal); any other exception escapes and is a crash.
/// </summary>
internal static class FuzzTargets
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>(StringComparer.Ordinal)
    {
        ["token-body"] = TokenBody,
        ["management-json"] = ManagementJson,
        ["user-query"] = UserQuery,
        ["upstream-token"] = UpstreamToken,
    };

    private static readonly string?[] ContentTypes = ["application/x-www-form-urlencoded", "application/json", "text/plain; charset=utf-8", null];

    /// <summary>The first byte picks the content type and whether a Basic header is sent; the rest is the body.</summary>
    private static void TokenBody(byte[] data)
    {
        if (data.Length == 0)
            return;
        var contentType = ContentTypes[data[0] % ContentTypes.Length];
        var body = data[1..];
        var authorization = (data[0] & 0x10) != 0 ? "Basic " + Convert.ToBase64String(body.AsSpan(0, Math.Min(body.Length, 48))) : null;
        var (request, error) = TokenRequestReader.Parse(body, contentType, authorization);
        if ((request is null) == (error is null) || error is { Status: not (400 or 401) })
            throw new InvalidOperationException($"token body: neither a request nor an Auth0 error ({error?.Status})");
        // The reader only parses; the limits every Core service checks next must also answer a request with a 400 or nothing.
        if (request is not null && Core.Grants.TokenRequestLimits.Check(request) is { Status: not 400 } limit)
            throw new InvalidOperationException($"token limits: status {limit.Status}");
    }

    private static void ManagementJson(byte[] data)
    {
        try
        {
            JsonBody.Parse(data);
        }
        catch (ManagementException e) when (e.Status == 400)
        {
        }
    }

    private static void UserQuery(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        foreach (var logSearch in new[] { false, true })
        {
            try
            {
                UserSearch.Parse(text, logSearch);
            }
            catch (ManagementException e) when (e.Status == 400)
            {
            }
        }
    }

    /// <summary>Azure AD's answers: a 200 token body, an error body, and an id_token as <see cref="AzureIdTokenChecks"/> reads it.</summary>
    private static void UpstreamToken(byte[] data)
    {
        var text = Encoding.UTF8.GetString(data);
        try
        {
            AzureTokenClient.ParseTokenResponse(text, "token");
        }
        catch (UpstreamCallException)
        {
        }
        _ = AadError.Parse(400, text, null).ToDetail();
        JsonWebToken token;
        try
        {
            token = AzureIdTokenChecks.Parse(text);
        }
        catch (WaadRefusalException)
        {
            return;
        }
        // What the id_token checks read from a token before and after its signature check.
        _ = token.Alg;
        _ = token.Kid;
        _ = token.Issuer;
        _ = token.Audiences.ToList();
        Gatehouse.Core.Tokens.UnixTime.TryGetNumericDate(token, "exp", out _);
        Gatehouse.Core.Tokens.UnixTime.TryGetNumericDate(token, "nbf", out _);
        token.TryGetPayloadValue<object>("tid", out _);
        token.TryGetPayloadValue<object>("oid", out _);
    }
}
