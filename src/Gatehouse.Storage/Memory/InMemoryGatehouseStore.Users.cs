using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Queries;

namespace Gatehouse.Storage.Memory;

/// <summary>Users: identifier keys as <see cref="UserEntity"/> computes them, and the EF store's search and sort trees.</summary>
public partial class InMemoryGatehouseStore
{
    private readonly MemoryTable<UserEntity> _users = new(
        u => u.UserId,
        u => u.EmailLower is null ? null : (u.ConnectionId, "email", u.EmailLower),
        u => u.UsernameLower is null ? null : (u.ConnectionId, "username", u.UsernameLower),
        u => u.ExternalKey is null ? null : (u.ConnectionId, "external", u.ExternalKey));

    public virtual Task<User?> GetUserAsync(string userId, CancellationToken ct) =>
        Locked(() => _users.Find(u => u.UserId == userId)?.ToRecord());

    public virtual Task<User?> FindUserByEmailAsync(string connectionId, string email, CancellationToken ct)
    {
        var normalized = UserEntity.Normalize(email);
        return Locked(() => _users.Find(u => u.ConnectionId == connectionId && u.EmailLower == normalized)?.ToRecord());
    }

    public virtual Task<User?> FindUserByUsernameAsync(string connectionId, string username, CancellationToken ct)
    {
        var normalized = UserEntity.Normalize(username);
        return Locked(() => _users.Find(u => u.ConnectionId == connectionId && u.UsernameLower == normalized)?.ToRecord());
    }

    public virtual Task<User?> FindUserByExternalKeyAsync(string connectionId, string externalKey, CancellationToken ct) =>
        Locked(() => _users.Find(u => u.ConnectionId == connectionId && u.ExternalKey == externalKey)?.ToRecord());

    public virtual Task<IReadOnlyList<User>> ListUsersByEmailAsync(string email, CancellationToken ct)
    {
        var normalized = UserEntity.Normalize(email);
        return Locked<IReadOnlyList<User>>(() =>
            [.. SqlSemantics.ToList(_users.Rows.Where(u => u.EmailLower == normalized && u.LinkedTo == null).OrderBy(u => u.Seq)).Select(u => u.ToRecord())]);
    }

    public virtual Task<Page<User>> ListUsersAsync(UserQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Locked(() =>
        {
            var users = UserQueries.Apply(_users.Rows, _connections.Rows, query);
            return PageOf(UserQueries.Sort(users, query.SortField, query.SortDescending), query.Page, u => u.ToRecord());
        });
    }

    public virtual Task<User> CreateUserAsync(User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var created = user with { Version = 1 };
        return Locked(() => { _users.Insert(UserEntity.From(created), $"User '{user.UserId}'"); return created; });
    }

    public virtual Task<User> UpdateUserAsync(User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Locked(() =>
        {
            _users.Update(u => u.UserId == user.UserId, UserEntity.From(user), $"User '{user.UserId}'");
            return user with { Version = user.Version + 1 };
        });
    }

    /// <summary>Counts the login on the stored row (never a Conflict itself), like the databases' one UPDATE.</summary>
    public virtual Task<User> RecordLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Locked(() =>
        {
            var index = _users.IndexOf(u => u.UserId == user.UserId);
            if (index < 0)
                return user;
            var stored = _users.At(index).ToRecord();
            var counted = stored with { LastLogin = at, LastIp = ip ?? stored.LastIp, LoginsCount = stored.LoginsCount + 1 };
            _users.Replace(index, UserEntity.From(counted), $"User '{user.UserId}'");
            return user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1, Version = user.Version + 1 };
        });
    }

    /// <summary>The profile and the login count in one write; the connection and the creation time are never rewritten.</summary>
    public virtual Task<User> UpdateUserOnLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        var next = user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1, Version = user.Version + 1 };
        var what = $"User '{user.UserId}'";
        return Locked(() =>
        {
            var index = _users.IndexOf(u => u.UserId == user.UserId);
            if (index < 0)
                throw MemoryTable<UserEntity>.NotFound(what);
            var stored = _users.At(index);
            if (stored.Version != user.Version)
                throw MemoryTable<UserEntity>.Conflict(what);
            _users.Replace(index, UserEntity.From(next with { ConnectionId = stored.ConnectionId, CreatedAt = stored.CreatedAt }), what);
            return next;
        });
    }

    public virtual Task DeleteUserAsync(string userId, CancellationToken ct) =>
        Locked(() =>
        {
            _users.Delete(u => u.UserId == userId, $"User '{userId}'");
            ForgetUser(userId);
        });
}
