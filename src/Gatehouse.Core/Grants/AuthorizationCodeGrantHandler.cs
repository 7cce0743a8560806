using Gatehouse.Core.Authorization;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Grants;

/// <summary>
/// <c>authorization_code</c> (RFC 6749 §4.1.3, RFC 7636 §4.6): the code is redeemed once, then checked against the
/// client, the exact redirect_uri and the PKCE verifier. Every check runs after the redemption, so a code that fails
/// one is spent. A second redemption is a replay: refused, and the refresh-token family the first one issued is
/// revoked (RFC 6749 §4.1.2). Tokens as the password grant issues them, with the browser login's nonce, auth_time, sid.
/// </summary>
public sealed class AuthorizationCodeGrantHandler(
    IAuthorizationCodeStore codes, IRefreshTokenStore refreshTokens, IUserStore users, ConfigCache config, AudienceResolver audiences,
    TokenOptions options, TimeProvider time)
    : IGrantHandler
{
    public string GrantType => GrantTypes.AuthorizationCode;

    public IReadOnlyList<string> RequiredParameters => ["code"];

    public string SuccessLogType => LogTypes.SuccessCodeExchange;

    public string FailureLogType => LogTypes.FailedCodeExchange;

    public async Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var raw = request["code"]!;
        if (raw.Length > 512)
            return Invalid(null, "The code is longer than any code Gatehouse issues.");
        var hash = Secrets.HashToken(raw);
        var redemption = await codes.RedeemAsync(hash, ct);
        if (redemption is { Replayed: true, Code: { } replayed })
        {
            var issued = await codes.IssuedFamilyAsync(hash, ct);
            if (issued is not null)
                await refreshTokens.RevokeRefreshTokenFamilyAsync(issued, time.GetUtcNow(), ct);
            return Invalid(replayed.UserId, issued is null
                ? "The authorization code was already redeemed."
                : "The authorization code was already redeemed: any refresh tokens it issued were revoked.");
        }
        if (redemption.Code is not { } code)
            return Invalid(null, "Unknown or expired authorization code.");
        // The family is named right after the redemption, before the slow checks, so a replay racing this request
        // already finds what to revoke (revoking a family that never got a token is harmless).
        var family = Secrets.RandomToken(16);
        await codes.RecordIssuedFamilyAsync(hash, family, ct);

        var authorization = code.Request;
        if (authorization.ClientId != context.Client.ClientId)
            return Invalid(code.UserId, $"The authorization code was issued to client {authorization.ClientId}.");
        if (request["redirect_uri"] is not { } redirectUri)
            return new GrantOutcome.Refused(new OAuthError(403, "invalid_grant", "redirect_uri is required if it was included in the authorization request.")) { UserId = code.UserId };
        if (!string.Equals(redirectUri, authorization.RedirectUri, StringComparison.Ordinal))
            return new GrantOutcome.Refused(new OAuthError(403, "invalid_grant", "redirect_uri does not match the one of the authorization request.")) { UserId = code.UserId };
        var verifier = request["code_verifier"];
        if (authorization.CodeChallenge is { } challenge ? !Pkce.Verify(verifier, challenge) : verifier is not null)
            return new GrantOutcome.Refused(new OAuthError(403, "invalid_grant", "Failed to verify code verifier")) { UserId = code.UserId };

        var user = await users.GetUserAsync(code.UserId, ct);
        if (user is null || user.Blocked)
            return Invalid(code.UserId, user is null ? "The user no longer exists." : "The user is blocked.");
        var connection = await config.GetConnectionByNameAsync(code.ConnectionName, ct);
        if (connection is null || !connection.EnabledClients.Contains(context.Client.ClientId))
            return Invalid(code.UserId, "The connection was deleted or disabled for the client.");
        var (audience, audienceError) = await audiences.ResolveAsync(authorization.Audience, context.Tenant, ct);
        if (audienceError is not null)
            return new GrantOutcome.Refused(audienceError) { UserId = code.UserId };

        var requested = authorization.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).ToList();
        var scopes = ScopePolicy.ForUser(requested, audience!.Api, widenOpenId: false);
        return new GrantOutcome.Granted(new TokenGrant(
            GrantTypeClaim: null,
            Subject: user.UserId,
            User: user,
            Audience: audience.Identifier,
            AccessTokenLifetimeSeconds: audience.Api?.TokenLifetime ?? options.DefaultAccessTokenLifetimeSeconds,
            Scopes: scopes.Granted,
            ReturnScope: scopes.DiffersFromRequest,
            IssueRefreshToken: scopes.IssueRefreshToken,
            Connection: connection)
        {
            OriginGrantType = GrantType,
            RefreshTokenFamilyId = scopes.IssueRefreshToken ? family : null,
            Nonce = authorization.Nonce,
            AuthTime = code.AuthTime,
            SessionId = code.SessionId,
        });
    }

    /// <summary>Auth0's one answer for a code that cannot be used (GO-A recording: 403); the reason goes to the audit log only.</summary>
    private static GrantOutcome.Refused Invalid(string? userId, string detail) =>
        new(new OAuthError(403, "invalid_grant", "Invalid authorization code")) { UserId = userId, Detail = detail };
}
