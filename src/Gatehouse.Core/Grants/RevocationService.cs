using Gatehouse.Core.Logs;

namespace Gatehouse.Core.Grants;

/// <summary>POST /oauth/revoke (RFC 7009): a client revokes its own refresh token (and its family). Unknown tokens succeed.</summary>
public sealed class RevocationService(ClientAuthenticator clients, Tokens.RefreshTokenService refreshTokens, AuditLog audit)
{
    /// <summary>Null on success.</summary>
    public async Task<OAuthError?> RevokeAsync(TokenRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (TokenRequestLimits.Check(request) is { } limit)
            return limit;
        if (request["token"] is not { } token)
            return OAuthError.MissingParameter("token");
        var authentication = await clients.AuthenticateAsync(request, ct);
        if (authentication.Client is not { } client)
            return authentication.Error;
        var revoked = await refreshTokens.RevokeAsync(token, client.ClientId, ct);
        if (revoked is not null)
        {
            await audit.WriteAsync(new AuditEntry(LogTypes.SuccessRefreshTokenRevocation, "Refresh token revoked")
            {
                ClientId = client.ClientId,
                ClientName = client.Name,
                UserId = revoked.UserId,
                Audience = revoked.Audience,
                Ip = request.Ip,
                UserAgent = request.UserAgent,
            }, ct);
        }
        return null;
    }
}
