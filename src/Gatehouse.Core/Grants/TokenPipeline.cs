using System.Diagnostics;
using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Observability;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Core.Grants;

/// <summary>
/// The token endpoint. Shared steps run once, always in this order, before any grant code:
/// parse (grant type known, required parameters present) → authenticate the client → grant type allowed for the
/// client → resolve the connection and check it is enabled for the client → the grant's own work → the application's
/// access rules (<see cref="AccessPolicy"/>) → the API's RBAC (<see cref="RbacPolicy"/>) → the chosen custom claims
/// (<see cref="ClaimsPolicy"/>) → issue tokens → audit event. Failures after the client is known are audited with the grant's failure type. Every request, whatever
/// its outcome, is one <c>gatehouse.token</c> span, one log event and one measurement (<see cref="TokenPipelineLog"/>).
/// </summary>
public sealed class TokenPipeline
{
    private readonly Dictionary<string, IGrantHandler> _handlers;
    private readonly ClientAuthenticator _clients;
    private readonly ConfigCache _config;
    private readonly ConnectionCache _connections;
    private readonly TokenIssuer _tokens;
    private readonly RefreshTokenService _refreshTokens;
    private readonly AuditLog _audit;
    private readonly ILogger<TokenPipeline> _log;
    private readonly RbacPolicy _rbac;
    private readonly TokenPolicies _policies;

    public TokenPipeline(IEnumerable<IGrantHandler> handlers, ClientAuthenticator clients, ConfigCache config,
        ConnectionCache connections, TokenIssuer tokens, RefreshTokenService refreshTokens, AuditLog audit, ILogger<TokenPipeline> log,
        RbacPolicy rbac, TokenPolicies policies)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _handlers = handlers.ToDictionary(h => h.GrantType, StringComparer.Ordinal);
        _clients = clients;
        _config = config;
        _connections = connections;
        _tokens = tokens;
        _refreshTokens = refreshTokens;
        _audit = audit;
        _log = log;
        _rbac = rbac;
        _policies = policies;
    }

    /// <summary>POST /oauth/token.</summary>
    public Task<TokenOutcome> ExecuteAsync(TokenRequest request, CancellationToken ct) => RunAsync(request, legacy: false, ct);

    /// <summary>POST /oauth/ro: the request's grant_type must already be <see cref="GrantTypes.LegacyRo"/>.</summary>
    public Task<TokenOutcome> ExecuteLegacyAsync(TokenRequest request, CancellationToken ct) => RunAsync(request, legacy: true, ct);

    private async Task<TokenOutcome> RunAsync(TokenRequest request, bool legacy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = Stopwatch.GetTimestamp();
        using var activity = GatehouseTelemetry.Source.StartActivity(TokenPipelineLog.ActivityName);
        var attempt = new Attempt(this, request);
        TokenOutcome? outcome = null;
        try
        {
            outcome = await RunStepsAsync(attempt, legacy, ct);
            return outcome;
        }
        finally
        {
            TokenPipelineLog.Observe(_log, activity, started, attempt.Handler?.GrantType, attempt.Client?.ClientId,
                attempt.Connection?.Name, outcome);
        }
    }

    private async Task<TokenOutcome> RunStepsAsync(Attempt attempt, bool legacy, CancellationToken ct)
    {
        var request = attempt.Request;

        // 1. Parse: the limits (the one place they are checked for a token request), then the grant type and its parameters.
        if (TokenRequestLimits.Check(request) is { } limit)
            return TokenOutcome.Fail(limit);
        if (request["grant_type"] is not { } grantType)
            return TokenOutcome.Fail(OAuthError.MissingParameter("grant_type"));
        if (!_handlers.TryGetValue(grantType, out var handler) || handler.Legacy != legacy)
            return TokenOutcome.Fail(OAuthError.UnsupportedGrantType(grantType));
        if (handler.RequiredParameters.FirstOrDefault(p => request[p] is null) is { } missing)
            return TokenOutcome.Fail(OAuthError.MissingParameter(missing));
        attempt.Handler = handler;

        // 2. Authenticate the client.
        var authentication = await _clients.AuthenticateAsync(request, ct);
        attempt.ClaimedClientId = authentication.ClaimedClientId;
        if (authentication.Client is not { } client)
            return await attempt.FailAsync(authentication.Error!, null, ct);
        attempt.Client = client;
        request = EndUserIp.Resolve(request, client);
        attempt.Request = request;

        // 3. Grant type allowed for this client.
        if (!client.GrantTypes.Contains(grantType)
            || (handler.RequiresConfidentialClient && client.TokenEndpointAuthMethod == TokenEndpointAuthMethods.None)
            || (handler.RequiresFirstPartyClient && !client.IsFirstParty))
            return await attempt.FailAsync(OAuthError.UnauthorizedClient(grantType), null, ct);

        // 4. Connection: exists, enabled for the client, handled by a registered strategy.
        var tenant = await _config.GetTenantSettingsAsync(ct) ?? new TenantSettings("", "", "", null, 0);
        var (connectionName, selectError) = handler.SelectConnection(request, tenant);
        if (selectError is not null)
            return await attempt.FailAsync(selectError, null, ct);
        Connection? connection = null;
        IConnection? live = null;
        if (connectionName is not null)
        {
            connection = connectionName.Length <= 128 ? await _config.GetConnectionByNameAsync(connectionName, ct) : null;
            if (connection is null)
                return await attempt.FailAsync(OAuthError.ConnectionNotFound(), null, ct);
            attempt.Connection = connection;
            if (!connection.EnabledClients.Contains(client.ClientId))
                return await attempt.FailAsync(OAuthError.ConnectionDisabled(), null, ct);
            live = _connections.Get(connection);
            if (live is null)
                return await attempt.FailAsync(OAuthError.InvalidRequest("specified strategy does not support requested operation"), null, ct);
        }

        // 5. The grant's own work (its time, mostly the upstream's, goes into the audit event as details.elapsed_ms).
        var started = Stopwatch.GetTimestamp();
        var outcome = await handler.HandleAsync(new GrantContext(request, client, tenant, connection, live), ct);
        attempt.ElapsedMs = (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        if (outcome is GrantOutcome.Refused refused)
            return await attempt.FailAsync(refused.Error, refused, ct);
        var decided = ((GrantOutcome.Granted)outcome).Grant;

        // 6. The application's access rules: a user it does not let in gets access_denied here, on every grant.
        var subject = decided.User is { } user ? _policies.Subjects.For(user, decided.Connection) : null;
        if (subject is { Connection: { } from, HasDirectory: true } && handler.GrantType != GrantTypes.RefreshToken)
            _policies.RecentGroups.Observe(from.Id, subject.Profile.Groups); // the dashboard's suggestions: logins only
        if (subject is not null && await _policies.Access.CheckAsync(client, subject, ct) is { } denial)
            return await attempt.FailAsync(OAuthError.AccessDenied(denial.Description), new GrantOutcome.Refused(OAuthError.AccessDenied(denial.Description))
            {
                AuditType = LogTypes.FailedLogin,
                UserId = subject.User.UserId,
                UserName = subject.User.Email ?? subject.User.Username,
                Detail = "access rule: " + denial.Rule,
            }, ct);

        // 7. The API's RBAC narrows the access token (every grant passes here), the chosen claims are added; then issue
        // tokens. The refresh token keeps the scopes as decided before RBAC, so each refresh applies the user's
        // permissions (and mapped roles) as they are then.
        var grant = await _rbac.ApplyAsync(decided, subject, ct);
        grant = await _policies.Claims.ApplyAsync(grant, client, subject, ct);
        var issued = await _tokens.IssueAsync(grant, client, ct);
        var refreshToken = grant.IssueRefreshToken ? await _refreshTokens.IssueAsync(decided, client.ClientId, request.Ip, ct) : null;
        var response = new TokenResponse(issued.AccessToken, issued.IdToken, refreshToken,
            grant.ReturnScope ? string.Join(' ', grant.Scopes) : null, issued.ExpiresIn);

        // 8. Audit.
        var logId = await _audit.WriteAsync(attempt.Entry(handler.SuccessLogType, SuccessDescription(handler.GrantType)) with
        {
            UserId = grant.User?.UserId,
            UserName = grant.User?.Email ?? grant.User?.Username,
            Audience = grant.Audience,
            Scope = string.Join(' ', grant.Scopes),
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object>(grant.AuditDetails ?? new Dictionary<string, object>()) { ["elapsed_ms"] = attempt.ElapsedMs ?? 0 }),
        }, ct);
        return new TokenOutcome(response, null) { LogId = logId };
    }

    private static string SuccessDescription(string grantType) => grantType switch
    {
        GrantTypes.ClientCredentials => "Client credentials exchanged for an access token",
        GrantTypes.RefreshToken => "Refresh token exchanged for tokens",
        GrantTypes.AuthorizationCode => "Authorization code exchanged for tokens",
        GrantTypes.LegacyRo => "Successful login",
        _ => "Password exchanged for tokens",
    };

    /// <summary>What the audit event of one request knows so far.</summary>
    private sealed class Attempt(TokenPipeline pipeline, TokenRequest request)
    {
        public TokenRequest Request { get; set; } = request;

        /// <summary>The grant's handler, once the grant type is known and its parameters are present.</summary>
        public IGrantHandler? Handler { get; set; }

        public string? ClaimedClientId { get; set; }

        public Client? Client { get; set; }

        public Connection? Connection { get; set; }

        /// <summary>How long the grant's own work took, once it ran.</summary>
        public long? ElapsedMs { get; set; }

        public AuditEntry Entry(string type, string? description) => new(type, description)
        {
            ClientId = Client?.ClientId ?? ClaimedClientId,
            ClientName = Client?.Name,
            Connection = Connection,
            Ip = Request.Ip,
            ClientIp = Request.ClientIp ?? Request.Ip,
            UserAgent = Request.UserAgent,
        };

        public async Task<TokenOutcome> FailAsync(OAuthError error, GrantOutcome.Refused? refused, CancellationToken ct)
        {
            var errorDetail = new Dictionary<string, string> { ["message"] = error.Description };
            if (refused?.Detail is { } detail)
                errorDetail["detail"] = detail;
            var body = new Dictionary<string, object> { ["error"] = errorDetail };
            if (ElapsedMs is { } elapsed)
                body["elapsed_ms"] = elapsed;
            var details = JsonSerializer.SerializeToElement(body);
            var logId = await pipeline._audit.WriteAsync(Entry(refused?.AuditType ?? Handler!.FailureLogType, error.Description) with
            {
                UserId = refused?.UserId,
                UserName = refused?.UserName ?? Request["username"],
                Audience = Request["audience"],
                Scope = Request["scope"],
                Details = details,
            }, ct);
            return TokenOutcome.Fail(error) with { LogId = logId };
        }
    }
}
