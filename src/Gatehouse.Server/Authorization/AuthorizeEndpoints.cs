using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.RateLimiting;
using Gatehouse.Server.Sessions;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Authorization;

/// <summary>GET|POST /authorize, GET /login/federated, GET|POST /login/callback (docs/browser-sign-in.md).</summary>
internal static class AuthorizeEndpoints
{
    /// <summary>The hosted login page (served by Server/Login), opened with the transaction id as its state.</summary>
    public const string LoginPagePath = "/u/login";

    public static void MapAuthorizeEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/authorize", [HttpMethods.Get, HttpMethods.Post], AuthorizeAsync)
            .DisableAntiforgery().RateLimitedPerIp(RateLimitOptions.Authentication);
        routes.MapGet("/login/federated", (HttpContext http, FederatedLogin federated, string? state, string? connection, [FromQuery(Name = "login_hint")] string? loginHint) =>
            federated.BeginFromLoginPageAsync(http, state, connection, http.RequestAborted, loginHint)).RateLimitedPerIp(RateLimitOptions.Authentication);
        // Providers answer with a query (GET) or a form_post (POST) from their own origin: no antiforgery token can come back.
        routes.MapMethods("/" + FederatedLogin.CallbackPath, [HttpMethods.Get, HttpMethods.Post], (HttpContext http, FederatedLogin federated) =>
            federated.CallbackAsync(http, http.RequestAborted)).DisableAntiforgery().RateLimitedPerIp(RateLimitOptions.Authentication);
    }

    private static async Task<IResult> AuthorizeAsync(HttpContext http, AuthorizeRequestReader reader, ISsoSessions sessions, IUserStore users,
        ConfigCache config, ConnectionCache connections, ILoginTransactionStore transactions, SignInCompletion completion, FederatedLogin federated,
        TenantIssuer issuer, AuthorizationOptions options, TimeProvider time)
    {
        var ct = http.RequestAborted;
        AuthorizationRequest request;
        switch (await reader.ReadAsync(http, ct))
        {
            case AuthorizeRead.Page page:
                return AuthorizationResponses.ErrorPage(page.Title, page.Description);
            case AuthorizeRead.AppError refused:
                return AuthorizationResponses.Error(refused.App, refused.Error, refused.Description, issuer.Issuer);
            case AuthorizeRead.Valid valid:
                request = valid.Request;
                break;
            default:
                throw new InvalidOperationException("Unexpected read.");
        }
        var app = SignInCompletion.App(request);

        // connection=: skips the login page, for a connection that exists and is enabled for the client.
        IConnection? named = null;
        if (request.Connection is { } connectionName)
        {
            var definition = connectionName.Length <= 128 ? await config.GetConnectionByNameAsync(connectionName, ct) : null;
            if (definition is null)
                return AuthorizationResponses.Error(app, "invalid_request", "the connection was not found", issuer.Issuer);
            if (!definition.EnabledClients.Contains(request.ClientId))
                return AuthorizationResponses.Error(app, "invalid_request", "the connection was disabled", issuer.Issuer);
            named = connections.Get(definition);
        }

        // A live session answers silently unless a new login is asked for (prompt=login, or max_age passed).
        var now = time.GetUtcNow();
        if (request.Prompt != "login" && await sessions.CurrentAsync(http, ct) is { } session
            && (request.MaxAge is not { } maxAge || now - session.AuthenticatedAt <= TimeSpan.FromSeconds(maxAge))
            && await users.GetUserAsync(session.UserId, ct) is { Blocked: false } user
            && await SessionConnectionAsync(session.Connections, request, config, ct) is { } sessionConnection)
        {
            return await completion.CompleteSilentlyAsync(http, request, user, sessionConnection, ct);
        }
        if (request.Prompt == "none")
        {
            await completion.AuditFailureAsync(http, request, LogTypes.FailedSilentAuth, "login_required", "Login required", null, null, ct);
            return AuthorizationResponses.Error(app, "login_required", "Login required", issuer.Issuer);
        }

        var transaction = new LoginTransaction(Secrets.RandomToken(32), request, now, now.AddSeconds(options.TransactionLifetimeSeconds));
        await transactions.SaveAsync(transaction, ct);
        if (named is IRedirectConnection redirect)
            return await federated.BeginAsync(http, transaction, redirect, ct);
        // A database connection (or none named) signs in on the login page, which reads connection= from the transaction.
        return new BrowserRedirect($"{LoginPagePath}?state={Uri.EscapeDataString(transaction.Id)}");
    }

    /// <summary>A connection of the session the client may use (the named one when connection= was sent), or null.</summary>
    private static async Task<string?> SessionConnectionAsync(IReadOnlyList<string> sessionConnections, AuthorizationRequest request, ConfigCache config, CancellationToken ct)
    {
        foreach (var name in sessionConnections.Reverse())
        {
            if (request.Connection is { } named && name != named)
                continue;
            if (await config.GetConnectionByNameAsync(name, ct) is { } connection && connection.EnabledClients.Contains(request.ClientId))
                return name;
        }
        return null;
    }
}
