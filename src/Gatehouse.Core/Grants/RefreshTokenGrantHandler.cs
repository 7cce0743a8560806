using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Grants;

/// <summary>
/// <c>refresh_token</c>: rotate the presented token and issue fresh tokens with the same (or fewer) scopes. A user of a
/// connection whose provider can revoke sessions is rechecked there at the connection's interval (<see cref="UpstreamSessionRecheck"/>).
/// </summary>
public sealed class RefreshTokenGrantHandler(
    RefreshTokenService refreshTokens, IUserStore users, IRefreshTokenStore tokens, IConfigurationStore configuration,
    TenantIssuer issuer, TokenOptions options, UpstreamSessionRecheck? recheck = null)
    : IGrantHandler
{
    public string GrantType => GrantTypes.RefreshToken;

    public IReadOnlyList<string> RequiredParameters => ["refresh_token"];

    public string SuccessLogType => LogTypes.SuccessRefreshTokenExchange;

    public string FailureLogType => LogTypes.FailedRefreshTokenExchange;

    public async Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var ip = context.Request.Ip;
        var exchange = await refreshTokens.ExchangeAsync(context.Request["refresh_token"]!, context.Client.ClientId, ip, ct);
        if (exchange.Refusal == RefreshRefusal.Reused)
            return Refused(exchange.Token!.UserId, "Refresh token reuse detected: the token family was revoked.");
        if (exchange.Refusal == RefreshRefusal.OtherIp)
            return Refused(exchange.Token!.UserId, $"Refresh token family issued to {exchange.Token.IssuedIp}, presented from {ip ?? "an unknown address"} (Tokens:RefreshTokenBindToIp).");
        if (exchange.Token is not { } token)
            return Refused(null, null);

        var user = await users.GetUserAsync(token.UserId, ct);
        if (user is null || user.Blocked)
            return Refused(token.UserId, user is null ? "The user no longer exists." : "The user is blocked.");
        if (token.CreatedAt < user.CreatedAt)
        {
            // The user was deleted and created again under the same id (POST /users takes a user_id): the tokens of
            // the deleted one give the new one nothing; the family is void since the new user exists.
            await tokens.RevokeRefreshTokenFamilyAsync(token.FamilyId, user.CreatedAt, ct);
            return Refused(token.UserId, "The refresh token was issued to a deleted user of the same id.");
        }
        Connection? connection = null;
        if (token.ConnectionId is { } connectionId)
        {
            connection = await configuration.GetConnectionAsync(connectionId, ct);
            if (connection is null || !connection.EnabledClients.Contains(context.Client.ClientId))
                return Refused(token.UserId, "The connection was deleted or disabled for the client.");
            if (recheck is not null && await recheck.RefusalAsync(user, connection, context.Request.CorrelationId, ct) is { } upstream)
            {
                // The provider ended the session (or could not confirm it past the grace): the family goes with it.
                await tokens.RevokeRefreshTokenFamilyAsync(token.FamilyId, token.RotatedAt ?? token.CreatedAt, ct);
                return Refused(token.UserId, upstream);
            }
        }
        ResourceServer? api = null;
        if (token.Audience is { } audience && audience != issuer.UserinfoAudience)
        {
            api = await configuration.GetResourceServerByIdentifierAsync(audience, ct);
            if (api is null)
                return Refused(token.UserId, $"Service not found: {audience}");
        }

        var requested = context.Request.Scopes();
        var lifetime = api?.TokenLifetime ?? options.DefaultAccessTokenLifetimeSeconds;
        if (GrantTypes.IsPasswordGrant(token.OriginGrantType))
            lifetime = PasswordGrantLifetimes.AccessToken(lifetime, options);
        // Without binding, a refresh from elsewhere still works (phones change networks) but the audit event says so.
        var moved = RefreshTokenService.IsFromOtherIp(token, ip)
            ? new Dictionary<string, object> { ["refresh_token_issued_ip"] = token.IssuedIp!, ["refresh_token_ip_changed"] = true }
            : null;
        var scopes = requested.Count == 0 ? token.Scopes : token.Scopes.Where(requested.Contains).ToList();
        return new GrantOutcome.Granted(new TokenGrant(
            GrantTypeClaim: "refresh_token",
            Subject: user.UserId,
            User: user,
            Audience: token.Audience ?? issuer.UserinfoAudience,
            AccessTokenLifetimeSeconds: lifetime,
            Scopes: scopes,
            ReturnScope: requested.Count > 0 && !scopes.ToHashSet(StringComparer.Ordinal).SetEquals(requested),
            IssueRefreshToken: true,
            Connection: connection) { RotatedFrom = token, AuditDetails = moved });
    }

    private static GrantOutcome.Refused Refused(string? userId, string? detail) =>
        new(OAuthError.InvalidRefreshToken()) { UserId = userId, Detail = detail };
}
