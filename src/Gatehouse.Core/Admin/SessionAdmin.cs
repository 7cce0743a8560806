using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Browser SSO sessions as the Management API shows and ends them (Auth0's /sessions and /users/{id}/sessions), from any
/// door: each ending is one audit event naming the actor. Ending a session signs the browser out at its next request.
/// </summary>
public sealed class SessionAdmin(ISsoSessionStore sessions, IUserStore users, AdminAudit audit)
{
    public async Task<SsoSession> GetAsync(string id, CancellationToken ct) =>
        await sessions.GetAsync(id, ct) ?? throw NotFound();

    public async Task DeleteAsync(AdminActor actor, string id, CancellationToken ct)
    {
        if (!await sessions.DeleteAsync(id, ct))
            throw NotFound();
        await audit.RecordAsync(actor, new AdminChange("Delete a session", "delete", "/api/v2/sessions/" + id, 200), ct);
    }

    public async Task<IReadOnlyList<SsoSession>> ListForUserAsync(string userId, CancellationToken ct)
    {
        await UserAsync(userId, ct);
        return await sessions.ListForUserAsync(userId, ct);
    }

    /// <summary>Ends every session of the user (Auth0: 202, the browsers find out at their next request).</summary>
    public async Task<int> DeleteForUserAsync(AdminActor actor, string userId, CancellationToken ct)
    {
        await UserAsync(userId, ct);
        var ended = await sessions.DeleteForUserAsync(userId, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a user's sessions", "delete", $"/api/v2/users/{userId}/sessions", 202), ct);
        return ended;
    }

    private Task<User> UserAsync(string userId, CancellationToken ct) => UserLookup.FindAsync(users, userId, ct);

    private static AdminException NotFound() => AdminException.NotFound("The session does not exist.", "inexistent_session");
}
