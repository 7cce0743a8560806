using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Admin;

/// <summary>
/// Linking and unlinking accounts (Auth0's /users/{id}/identities), from any door: the primary is a user of its own,
/// the secondary exists, is another user, is no primary of linked accounts itself and is linked nowhere yet; the
/// secondary's refresh tokens and sessions end (from now on a login as it signs the primary in); one audit event
/// naming the actor. The store work is <see cref="AccountLinks"/>'.
/// </summary>
public sealed class IdentityAdmin(IGatehouseStore store, ISsoSessionStore sessions, TimeProvider time, AdminAudit audit)
{
    private readonly AccountLinks _links = new(store, time);

    /// <summary>Links the user <paramref name="provider"/>|<paramref name="userId"/> (the id may carry that prefix already) under the primary; returns the primary's identities.</summary>
    /// <param name="connectionId">When given, the secondary must be a user of this connection (Auth0's connection_id).</param>
    public async Task<IReadOnlyList<UserIdentity>> LinkAsync(
        AdminActor actor, string primaryId, string provider, string userId, string? connectionId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(userId);
        var primary = await UserLookup.FindAsync(store, primaryId, ct);
        var secondaryId = userId.StartsWith(provider + "|", StringComparison.Ordinal) ? userId : UserIds.Compose(provider, userId);
        if (secondaryId == primary.UserId)
            throw AdminException.Invalid("user_id", "Main identity and the new one are the same.");
        var secondary = (secondaryId.Length <= 512 ? await store.GetUserAsync(secondaryId, ct) : null)
            ?? throw AdminException.Invalid("user_id", "The user to link does not exist.");
        if (secondary.Identities.Count == 0 || secondary.Identities[0].Provider != provider || !AccountLinks.CanBeLinked(secondary))
            throw AdminException.Invalid("provider", $"The user to link is not a {provider} user.");
        if (connectionId is not null && secondary.ConnectionId != connectionId)
            throw AdminException.Invalid("connection_id", "The user to link is not a user of this connection.");
        if (secondary.LinkedTo is not null)
            throw AdminException.Conflict("user_id", "Specified identity already exists.", "identity_conflict");
        if (secondary.Identities.Count > 1)
            throw AdminException.Invalid("user_id", "The user to link has linked accounts of its own; unlink them first.");

        var linked = await _links.LinkAsync(primary, secondary, ct);
        var now = time.GetUtcNow();
        await store.RevokeRefreshTokensOfUserAsync(secondary.UserId, now, ct);
        await sessions.DeleteForUserAsync(secondary.UserId, ct);
        await audit.RecordAsync(actor, new AdminChange("Link a user account", "post", $"/api/v2/users/{primary.UserId}/identities", 201), ct);
        return linked.Identities;
    }

    /// <summary>Unlinks the primary's linked identity <paramref name="provider"/>/<paramref name="userId"/>; returns the identities left.</summary>
    public async Task<IReadOnlyList<UserIdentity>> UnlinkAsync(AdminActor actor, string primaryId, string provider, string userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(userId);
        var primary = await UserLookup.FindAsync(store, primaryId, ct);
        var plain = userId.StartsWith(provider + "|", StringComparison.Ordinal) ? userId[(provider.Length + 1)..] : userId;
        if (primary.Identities.Count > 0 && primary.Identities[0].Provider == provider && primary.Identities[0].UserId == plain)
            throw AdminException.Invalid("user_id", "Main identity cannot be removed from profile.");
        var identity = primary.Identities.Skip(1).FirstOrDefault(i => i.Provider == provider && i.UserId == plain)
            ?? throw AdminException.Invalid("user_id", "The identity is not linked to this user.");
        var saved = await _links.UnlinkAsync(primary, identity, ct);
        await audit.RecordAsync(actor, new AdminChange("Unlink a user account", "delete",
            $"/api/v2/users/{primary.UserId}/identities/{provider}/{plain}"), ct);
        return saved.Identities;
    }
}
