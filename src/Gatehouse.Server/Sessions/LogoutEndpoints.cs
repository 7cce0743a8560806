using System.Net;
using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Authorization;
using Gatehouse.Server.Login;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Sessions;

/// <summary>
/// GET /v2/logout (Auth0's logout): ends this browser's SSO session for the whole tenant, then sends it to
/// <c>returnTo</c> when that is one of the allowed logout URLs (the client's with <c>client_id</c>, else the tenant's);
/// an unlisted <c>returnTo</c> gets an error page and changes nothing. <c>federated</c> goes through the upstream
/// provider's logout first when the session's connection offers one (<see cref="IFederatedLogoutConnection"/>).
/// Logs <c>slo</c> / <c>flo</c>.
/// </summary>
internal static class LogoutEndpoints
{
    private const int MaxUrlLength = 2048;

    public static void MapLogout(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v2/logout", LogoutAsync).ExcludeFromDescription();

    private static async Task<IResult> LogoutAsync(HttpContext http, ISsoSessions sessions, ConfigCache config, ConnectionCache connections, AuditLog audit)
    {
        var ct = http.RequestAborted;
        var query = http.Request.Query;
        var returnTo = query["returnTo"].Count == 1 ? query["returnTo"].ToString() : null;
        var clientId = query["client_id"].Count == 1 ? query["client_id"].ToString() : null;
        if (query["returnTo"].Count > 1 || query["client_id"].Count > 1 || returnTo?.Length > MaxUrlLength || clientId?.Length > 128)
            return AuthorizationResponses.ErrorPage("invalid_request", "The logout request is not valid.");

        Client? client = null;
        if (!string.IsNullOrEmpty(clientId) && (client = await config.GetClientAsync(clientId, ct)) is null)
        {
            await AuditAsync(http, audit, LogTypes.FailedLogout, "Logout refused: unknown client_id", clientId, null, null, returnTo, [], ct);
            return AuthorizationResponses.ErrorPage("invalid_request", "The client_id is not valid.");
        }
        var allowed = client is not null ? LogoutUrls.From(client.Extra) : LogoutUrls.From((await config.GetTenantSettingsAsync(ct))?.Extra);
        if (!string.IsNullOrEmpty(returnTo) && !LogoutUrls.Allows(allowed, returnTo))
        {
            await AuditAsync(http, audit, LogTypes.FailedLogout, "Logout refused: returnTo is not an allowed logout URL", client?.ClientId, client?.Name, null, returnTo, allowed, ct);
            return AuthorizationResponses.ErrorPage("invalid_request",
                $"The \"returnTo\" querystring parameter \"{returnTo}\" is not defined as a valid URL in \"Allowed Logout URLs\".");
        }
        // With client_id and no returnTo: the client's first allowed logout URL (Auth0).
        var target = string.IsNullOrEmpty(returnTo) ? (client is not null && allowed.Count > 0 ? allowed[0] : null) : returnTo;

        var session = await sessions.SignOutAsync(http, ct);
        await AuditAsync(http, audit, LogTypes.SuccessLogout, "Successful logout", client?.ClientId, client?.Name, session, target, allowed, ct);

        if (query.ContainsKey("federated") && session is not null && await UpstreamLogoutAsync(session, config, connections, target, ct) is { } upstream)
            return Results.Redirect(upstream.AbsoluteUri);
        return target is not null ? Results.Redirect(target) : new LoginHtmlResult(StatusCodes.Status200OK, SignedOutPage(), null, null);
    }

    /// <summary>The logout URL of the first connection of the session whose provider can log out, or null.</summary>
    private static async Task<Uri?> UpstreamLogoutAsync(SsoSession session, ConfigCache config, ConnectionCache connections, string? target, CancellationToken ct)
    {
        foreach (var name in session.Connections)
        {
            if (await config.GetConnectionByNameAsync(name, ct) is { } definition && connections.Get(definition) is IFederatedLogoutConnection federated)
                return federated.LogoutUri(target is null ? null : new Uri(target));
        }
        return null;
    }

    private static async Task AuditAsync(HttpContext http, AuditLog audit, string type, string description, string? clientId, string? clientName,
        SsoSession? session, string? returnTo, IReadOnlyList<string> allowed, CancellationToken ct)
    {
        var details = new Dictionary<string, object?>
        {
            ["return_to"] = returnTo,
            ["allowed_logout_url"] = allowed,
            ["session_id"] = session?.Id,
            ["protocol"] = "oidc",
            ["initiated_by"] = "rp",
        };
        await audit.WriteAsync(new AuditEntry(type, description)
        {
            ClientId = clientId,
            ClientName = clientName,
            UserId = session?.UserId,
            Ip = BrowserCaller.Ip(http),
            UserAgent = BrowserCaller.UserAgent(http),
            Details = JsonSerializer.SerializeToElement(details.Where(d => d.Value is not null).ToDictionary(d => d.Key, d => d.Value)),
        }, ct);
    }

    private static string SignedOutPage() =>
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + $"<title>Signed out</title><link rel=\"stylesheet\" href=\"{LoginSetup.BasePath}/login.css\"></head><body><main class=\"login\">"
        + $"<h1>{WebUtility.HtmlEncode("You are signed out")}</h1><p>You can close this window.</p></main></body></html>";
}
