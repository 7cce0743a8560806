using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>How much one revocation ended.</summary>
public sealed record RevokedAccess(int Sessions, int RefreshTokens);

/// <summary>
/// Gatehouse's one call for "sign this user out everywhere" (Auth0 has none: it takes DELETE /users/{id}/sessions and
/// DELETE /users/{id}/refresh-tokens, two calls with a gap between them): every SSO session and every refresh token
/// of the user, one audit event naming the actor. Access tokens already issued live out their short lifetime.
/// </summary>
public sealed class UserAccessRevocation(ISsoSessionStore sessions, IRefreshTokenStore tokens, IUserStore users, AdminAudit audit, TimeProvider time)
{
    public const string PathSuffix = "/gatehouse/revoke-access";

    public async Task<RevokedAccess> RevokeAsync(AdminActor actor, string userId, CancellationToken ct)
    {
        if (await users.GetUserAsync(userId, ct) is null)
            throw AdminException.NotFound("The user does not exist.", "inexistent_user");
        // Refresh tokens first: a session ended before them could not mint new ones anyway, but a refresh family
        // outlives its session, so it is the part that must not be missed.
        var refreshTokens = await tokens.RevokeRefreshTokensOfUserAsync(userId, time.GetUtcNow(), ct);
        var ended = await sessions.DeleteForUserAsync(userId, ct);
        await audit.RecordAsync(actor, new AdminChange("Revoke a user's sessions and refresh tokens", "post",
            "/api/v2/users/" + userId + PathSuffix, 200), ct);
        return new RevokedAccess(ended, refreshTokens);
    }
}
