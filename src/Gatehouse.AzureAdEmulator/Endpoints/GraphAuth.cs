using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Model;
using Gatehouse.AzureAd.Emulator.Tokens;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>The signed-in user behind a Graph call and the delegated scopes its token carries.</summary>
internal sealed record GraphCaller(User User, IReadOnlySet<string> Scopes, DirectorySnapshot Directory)
{
    public bool HasAny(IEnumerable<string> scopes) => scopes.Any(Scopes.Contains);
}

/// <summary>A refused Graph call: status, error code and message (shaped per API by <see cref="GraphErrors"/>).</summary>
internal sealed record GraphFailure(int Status, string Code, string Message);

/// <summary>
/// Validates a bearer token the way Microsoft Graph / Azure AD Graph do: our signature and key, issuer, the API's
/// own audience (a token for another resource, e.g. the Web API, is refused), lifetime, and a known user.
/// </summary>
internal static class GraphAuth
{
    private static readonly HashSet<string> GraphAudiences = new(StringComparer.OrdinalIgnoreCase)
    {
        WellKnownResources.MicrosoftGraphUri, WellKnownResources.MicrosoftGraphUri + "/", WellKnownResources.MicrosoftGraphAppId,
    };

    private static readonly HashSet<string> AadGraphAudiences = new(StringComparer.OrdinalIgnoreCase)
    {
        WellKnownResources.AadGraphUri, WellKnownResources.AadGraphUri + "/", WellKnownResources.AadGraphAppId,
    };

    public static (GraphCaller? Caller, GraphFailure? Failure) Authenticate(HttpContext ctx, EmulatorRuntime rt, bool aadGraph)
    {
        var invalid = aadGraph
            ? new GraphFailure(401, "Authentication_MissingOrMalformed", "Access Token missing or malformed.")
            : new GraphFailure(401, "InvalidAuthenticationToken", "Access token validation failure.");
        var token = BearerToken.From(ctx.Request);
        if (token is null)
            return (null, aadGraph ? invalid : invalid with { Message = "Access token is empty." });
        if (!Jwt.TryRead(token, out var header, out var payload)) return (null, invalid);
        if (Text(header, "alg") != "RS256" || rt.Keys.FindPublished(Text(header, "kid") ?? "") is not { } key || !Jwt.VerifySignature(token, key))
            return (null, invalid);
        var audiences = aadGraph ? AadGraphAudiences : GraphAudiences;
        if (!audiences.Contains(Text(payload, "aud") ?? ""))
            return (null, aadGraph ? invalid : invalid with { Message = "Access token validation failure. Invalid audience." });
        var now = rt.Time.GetUtcNow().ToUnixTimeSeconds();
        if (Number(payload, "exp") <= now || Number(payload, "nbf") > now + 300)
            return (null, aadGraph
                ? new GraphFailure(401, "Authentication_ExpiredToken", "Your access token has expired. Please renew it before submitting the request.")
                : invalid with { Message = "Lifetime validation failed, the token is expired." });
        var directory = rt.Directory.Snapshot;
        var tid = Text(payload, "tid") ?? "";
        var issuer = Text(payload, "iss");
        if (issuer != TokenFactory.IssuerFor("1.0", tid, RequestIds.BaseUrl(ctx)) && issuer != TokenFactory.IssuerFor("2.0", tid, RequestIds.BaseUrl(ctx)))
            return (null, invalid);
        var user = directory.FindUserById(Text(payload, "oid") ?? "");
        if (user is null || user.Tenant.Id != tid) return (null, invalid);
        var scopes = new HashSet<string>((Text(payload, "scp") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.OrdinalIgnoreCase);
        return (new GraphCaller(user, scopes, directory), null);
    }

    public static GraphFailure Forbidden() =>
        new(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static long Number(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : 0;
}
