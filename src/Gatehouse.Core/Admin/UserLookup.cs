using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>
/// A user as every admin door finds it by id: a linked secondary account is no user of its own (Auth0 shows it only
/// as an identity of its primary), so it is not found, like an id that never existed.
/// </summary>
public static class UserLookup
{
    public static async Task<User> FindAsync(IUserStore store, string userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(userId);
        return (userId.Length <= 512 ? await store.GetUserAsync(userId, ct) : null) is { LinkedTo: null } user
            ? user
            : throw AdminException.NotFound("The user does not exist.", "inexistent_user");
    }
}
