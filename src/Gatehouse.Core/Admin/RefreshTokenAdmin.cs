using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// A user's refresh tokens as the Management API ends them (Auth0's DELETE /users/{id}/refresh-tokens): every family of
/// every client, in one write, one audit event naming the actor. The next refresh of any of them is invalid_grant.
/// </summary>
public sealed class RefreshTokenAdmin(IRefreshTokenStore tokens, IUserStore users, AdminAudit audit, TimeProvider time)
{
    public async Task<int> RevokeForUserAsync(AdminActor actor, string userId, CancellationToken ct)
    {
        if (await users.GetUserAsync(userId, ct) is null)
            throw AdminException.NotFound("The user does not exist.", "inexistent_user");
        var revoked = await tokens.RevokeRefreshTokensOfUserAsync(userId, time.GetUtcNow(), ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a user's refresh tokens", "delete", $"/api/v2/users/{userId}/refresh-tokens", 202), ct);
        return revoked;
    }
}
