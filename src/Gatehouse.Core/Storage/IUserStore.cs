namespace Gatehouse.Core.Storage;

/// <summary>
/// Users, keyed by user id; (connection, email), (connection, username) and (connection, external key) are unique
/// too, compared by their identifier keys (rules: <see cref="IGatehouseStore"/>).
/// </summary>
public interface IUserStore
{
    Task<User?> GetUserAsync(string userId, CancellationToken ct);
    Task<User?> FindUserByEmailAsync(string connectionId, string email, CancellationToken ct);
    Task<User?> FindUserByUsernameAsync(string connectionId, string username, CancellationToken ct);
    Task<User?> FindUserByExternalKeyAsync(string connectionId, string externalKey, CancellationToken ct);
    Task<IReadOnlyList<User>> ListUsersByEmailAsync(string email, CancellationToken ct);
    Task<Page<User>> ListUsersAsync(UserQuery query, CancellationToken ct);
    Task<User> CreateUserAsync(User user, CancellationToken ct);
    Task<User> UpdateUserAsync(User user, CancellationToken ct);
    Task DeleteUserAsync(string userId, CancellationToken ct);

    /// <summary>
    /// Counts one login: last_login, last_ip (when given) and logins_count + 1, and bumps Version so a writer holding
    /// the older version gets Conflict. Unlike UpdateUserAsync it never conflicts itself: logins of one user running
    /// at once each count. Returns the user as it now is, or the given one when it was deleted meanwhile. This default
    /// reads and writes; a backend does it in one statement (it is on every login's path).
    /// </summary>
    async Task<User> RecordLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                return await UpdateUserAsync(user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1 }, ct);
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict)
            {
                user = await GetUserAsync(user.UserId, ct) ?? user;
            }
            catch (StoreException e) when (e.Error == StoreError.NotFound)
            {
                return user;
            }
        }
        return user;
    }

    /// <summary>
    /// Stores <paramref name="user"/> like <see cref="UpdateUserAsync"/> (Conflict on a stale Version, NotFound when
    /// absent) and counts one login in the same write: last_login = <paramref name="at"/>, last_ip (when given),
    /// logins_count + 1. The returning federated user's path: the profile and the statistics in one round trip.
    /// This default writes once through UpdateUserAsync; a backend does it in one statement.
    /// </summary>
    Task<User> UpdateUserOnLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return UpdateUserAsync(user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1 }, ct);
    }
}
