using System.Diagnostics;
using Gatehouse.Core.Storage;
using Gatehouse.Storage.Diagnostics;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Queries;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<User?> GetUserAsync(string userId, CancellationToken ct) =>
        QueryAsync(async db => (await UserById(db, userId, ct))?.ToRecord(), ct);

    public Task<User?> FindUserByEmailAsync(string connectionId, string email, CancellationToken ct)
    {
        var normalized = UserEntity.Normalize(email);
        return QueryAsync(
            async db => (await db.Users
                .SingleOrDefaultAsync(u => u.ConnectionId == connectionId && u.EmailLower == normalized, ct))?.ToRecord(), ct);
    }

    public Task<User?> FindUserByUsernameAsync(string connectionId, string username, CancellationToken ct)
    {
        var normalized = UserEntity.Normalize(username);
        return QueryAsync(
            async db => (await db.Users
                .SingleOrDefaultAsync(u => u.ConnectionId == connectionId && u.UsernameLower == normalized, ct))?.ToRecord(), ct);
    }

    public Task<User?> FindUserByExternalKeyAsync(string connectionId, string externalKey, CancellationToken ct) =>
        QueryAsync(
            async db => (await UserByExternalKey(db, connectionId, externalKey, ct))?.ToRecord(), ct);

    public Task<IReadOnlyList<User>> ListUsersByEmailAsync(string email, CancellationToken ct)
    {
        var normalized = UserEntity.Normalize(email);
        return QueryAsync<IReadOnlyList<User>>(
            async db => (await db.Users.Where(u => u.EmailLower == normalized && u.LinkedTo == null).OrderBy(u => u.Seq).ToListAsync(ct))
                .Select(u => u.ToRecord()).ToList(), ct);
    }

    public Task<Page<User>> ListUsersAsync(UserQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return QueryAsync(db =>
        {
            var users = UserQueries.Apply(db.Users, db.Connections, query);
            var ordered = UserQueries.Sort(users, query.SortField, query.SortDescending);
            return PageAsync(ordered, query.Page, u => u.ToRecord(), ct);
        }, ct);
    }

    public async Task<User> CreateUserAsync(User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var created = user with { Version = 1 };
        await InsertAsync(UserEntity.From(created), $"User '{user.UserId}'", ct);
        return created;
    }

    public async Task<User> UpdateUserAsync(User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        await UpdateAsync(u => u.UserId == user.UserId, UserEntity.From(user), $"User '{user.UserId}'", ct);
        return user with { Version = user.Version + 1 };
    }

    /// <summary>
    /// One UPDATE with no read first: this runs on every login, and a read-then-write would both cost a round trip
    /// and make logins of one user conflict with each other.
    /// </summary>
    public async Task<User> RecordLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        await using var db = await factory.CreateDbContextAsync(ct);
        var userId = user.UserId;
        using var entered = await writes.EnterAsync(ct);
        var changed = await db.Users.Where(u => u.UserId == userId).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.LastLogin, at)
            .SetProperty(u => u.LastIp, u => ip ?? u.LastIp)
            .SetProperty(u => u.LoginsCount, u => u.LoginsCount + 1)
            .SetProperty(u => u.Version, u => u.Version + 1), ct);
        return changed == 0
            ? user
            : user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1, Version = user.Version + 1 };
    }

    /// <summary>Built from the model on first use (per context type: the SQL quoting is the provider's).</summary>
    private static FullRowUpdate<UserEntity>? UserLoginUpdate;

    /// <summary>
    /// One UPDATE … WHERE user_id AND version: the profile and the login statistics together, so a returning
    /// federated user costs one read and one write. No tracked re-read: the version in the WHERE clause is the check.
    /// </summary>
    public async Task<User> UpdateUserOnLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var next = user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1, Version = user.Version + 1 };
        var e = UserEntity.From(next);
        var (userId, expected) = (user.UserId, user.Version);
        await using var db = await factory.CreateDbContextAsync(ct);
        int changed;
        try
        {
            UserLoginUpdate ??= new FullRowUpdate<UserEntity>(
                db, nameof(UserEntity.UserId), nameof(UserEntity.ConnectionId), nameof(UserEntity.CreatedAt));
            using var entered = await writes.EnterAsync(ct);
            var start = Stopwatch.GetTimestamp();
            changed = await UserLoginUpdate.ExecuteAsync(db, e, expected, ct);
            StorageEvents.Log.WriteTook("User login update", start);
        }
        catch (Exception ex) when (db.IsUniqueViolation(ex))
        {
            throw new StoreException(StoreError.AlreadyExists, $"User '{userId}': a unique value (email, username) is taken.");
        }
        if (changed == 1)
            return next;
        // Rare: tell a stale copy from a deleted user with one more read.
        throw await db.Users.AnyAsync(u => u.UserId == userId, ct) ? Conflict($"User '{userId}'") : NotFound($"User '{userId}'");
    }

    /// <summary>Deletes the user with their roles and direct permissions.</summary>
    public Task DeleteUserAsync(string userId, CancellationToken ct) =>
        DeleteAsync<UserEntity>(u => u.UserId == userId, $"User '{userId}'", ct, async db =>
        {
            await db.UserRoles.Where(r => r.UserId == userId).ExecuteDeleteAsync(ct);
            await db.UserPermissions.Where(p => p.UserId == userId).ExecuteDeleteAsync(ct);
        });
}
