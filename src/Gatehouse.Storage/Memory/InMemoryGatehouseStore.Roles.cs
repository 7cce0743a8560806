using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Store;

namespace Gatehouse.Storage.Memory;

/// <summary>Roles, their permissions and assignments: the EF store's tables, unique keys and orders.</summary>
public partial class InMemoryGatehouseStore
{
    private readonly MemoryTable<RoleEntity> _roles = new(r => r.Id, r => r.Name);
    private readonly MemoryTable<RolePermissionEntity> _rolePermissions = new(p => (p.RoleId, p.ResourceServerIdentifier, p.PermissionName));
    private readonly MemoryTable<UserRoleEntity> _userRoles = new(u => (u.UserId, u.RoleId));
    private readonly MemoryTable<UserPermissionEntity> _userPermissions = new(p => (p.UserId, p.ResourceServerIdentifier, p.PermissionName));

    public virtual Task<Role?> GetRoleAsync(string id, CancellationToken ct) =>
        Locked(() => _roles.Find(r => r.Id == id)?.ToRecord());

    public virtual Task<Page<Role>> ListRolesAsync(RoleQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = query.NameFilter?.ToLowerInvariant();
        return Locked(() => PageOf(
            _roles.Rows.Where(r => string.IsNullOrEmpty(filter) || r.NameLower.Contains(filter, StringComparison.Ordinal)).OrderBy(r => r.Seq),
            query.Page, r => r.ToRecord()));
    }

    public virtual Task<Role> CreateRoleAsync(Role role, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(role);
        var created = role with { Version = 1 };
        return Locked(() =>
        {
            _roles.Insert(RoleEntity.From(created), $"Role '{role.Name}'");
            return created;
        });
    }

    public virtual Task<Role> UpdateRoleAsync(Role role, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(role);
        return Locked(() =>
        {
            _roles.Update(r => r.Id == role.Id, RoleEntity.From(role), $"Role '{role.Id}'");
            return role with { Version = role.Version + 1 };
        });
    }

    public virtual Task DeleteRoleAsync(string id, CancellationToken ct) =>
        Locked(() =>
        {
            _roles.Delete(r => r.Id == id, $"Role '{id}'");
            _rolePermissions.DeleteAll(p => p.RoleId == id);
            _userRoles.DeleteAll(u => u.RoleId == id);
        });

    public virtual Task<Page<Permission>> ListRolePermissionsAsync(string roleId, PageRequest page, CancellationToken ct) =>
        Locked(() => PageOf(
            _rolePermissions.Rows.Where(p => p.RoleId == roleId)
                .OrderBy(p => p.ResourceServerIdentifier, StringComparer.Ordinal).ThenBy(p => p.PermissionName, StringComparer.Ordinal),
            page, p => p.ToRecord()));

    public virtual Task AddRolePermissionsAsync(string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        return Locked(() =>
        {
            foreach (var p in permissions.Distinct())
            {
                if (_rolePermissions.Find(r => r.RoleId == roleId && r.ResourceServerIdentifier == p.ResourceServerIdentifier && r.PermissionName == p.PermissionName) is null)
                {
                    _rolePermissions.Insert(new RolePermissionEntity
                    {
                        RoleId = roleId, ResourceServerIdentifier = p.ResourceServerIdentifier, PermissionName = p.PermissionName, Version = 1,
                    }, $"Permissions of role '{roleId}'");
                }
            }
        });
    }

    public virtual Task RemoveRolePermissionsAsync(string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var removed = permissions.ToHashSet();
        return Locked(() => _rolePermissions.DeleteAll(r => r.RoleId == roleId && removed.Contains(r.ToRecord())));
    }

    public virtual Task<Page<User>> ListRoleUsersAsync(string roleId, PageRequest page, CancellationToken ct) =>
        Locked(() => PageOf(
            (from link in _userRoles.Rows
             join user in _users.Rows on link.UserId equals user.UserId
             where link.RoleId == roleId
             orderby link.Seq
             select user).ToList().AsQueryable(),
            page, u => u.ToRecord()));

    public virtual Task<Page<Role>> ListUserRolesAsync(string userId, PageRequest page, CancellationToken ct) =>
        Locked(() => PageOf(
            (from link in _userRoles.Rows
             join role in _roles.Rows on link.RoleId equals role.Id
             where link.UserId == userId
             orderby link.Seq
             select role).ToList().AsQueryable(),
            page, r => r.ToRecord()));

    public virtual Task AssignUserRolesAsync(string userId, IReadOnlyList<string> roleIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roleIds);
        return Locked(() =>
        {
            foreach (var roleId in roleIds.Distinct(StringComparer.Ordinal))
            {
                if (_userRoles.Find(u => u.UserId == userId && u.RoleId == roleId) is null)
                    _userRoles.Insert(new UserRoleEntity { UserId = userId, RoleId = roleId, Version = 1 }, $"Roles of user '{userId}'");
            }
        });
    }

    public virtual Task RemoveUserRolesAsync(string userId, IReadOnlyList<string> roleIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roleIds);
        var removed = roleIds.ToHashSet(StringComparer.Ordinal);
        return Locked(() => _userRoles.DeleteAll(u => u.UserId == userId && removed.Contains(u.RoleId)));
    }

    public virtual Task AddUserPermissionsAsync(string userId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        return Locked(() =>
        {
            foreach (var p in permissions.Distinct())
            {
                if (_userPermissions.Find(u => u.UserId == userId && u.ResourceServerIdentifier == p.ResourceServerIdentifier && u.PermissionName == p.PermissionName) is null)
                {
                    _userPermissions.Insert(new UserPermissionEntity
                    {
                        UserId = userId, ResourceServerIdentifier = p.ResourceServerIdentifier, PermissionName = p.PermissionName, Version = 1,
                    }, $"Permissions of user '{userId}'");
                }
            }
        });
    }

    public virtual Task RemoveUserPermissionsAsync(string userId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var removed = permissions.ToHashSet();
        return Locked(() => _userPermissions.DeleteAll(u => u.UserId == userId && removed.Contains(u.ToRecord())));
    }

    public virtual Task<IReadOnlyList<UserPermission>> ListUserPermissionsAsync(string userId, CancellationToken ct) =>
        Locked(() => RoleRows.UserPermissions(
            _userPermissions.Rows.Where(p => p.UserId == userId).Select(p => new UserPermission(p.ToRecord(), null, null))
                .Concat(
                    from link in _userRoles.Rows
                    join role in _roles.Rows on link.RoleId equals role.Id
                    join permission in _rolePermissions.Rows on role.Id equals permission.RoleId
                    where link.UserId == userId
                    select new UserPermission(permission.ToRecord(), role.Id, role.Name))
                .ToList()));

    public virtual Task<IReadOnlyList<string>> ListEffectivePermissionsAsync(string userId, string resourceServerIdentifier, CancellationToken ct) =>
        Locked(() => RoleRows.Sorted(
            _userPermissions.Rows.Where(p => p.UserId == userId && p.ResourceServerIdentifier == resourceServerIdentifier).Select(p => p.PermissionName)
                .Concat(
                    from link in _userRoles.Rows
                    join permission in _rolePermissions.Rows on link.RoleId equals permission.RoleId
                    where link.UserId == userId && permission.ResourceServerIdentifier == resourceServerIdentifier
                    select permission.PermissionName)
                .ToList()));

    /// <summary>A deleted user's roles and direct permissions; the caller holds the lock.</summary>
    private void ForgetUser(string userId)
    {
        _userRoles.DeleteAll(u => u.UserId == userId);
        _userPermissions.DeleteAll(p => p.UserId == userId);
    }

    /// <summary>Every permission on a deleted API; the caller holds the lock.</summary>
    private void ForgetPermissionsOn(string identifier)
    {
        _rolePermissions.DeleteAll(p => p.ResourceServerIdentifier == identifier);
        _userPermissions.DeleteAll(p => p.ResourceServerIdentifier == identifier);
    }

    /// <summary>Permissions on scopes the API no longer defines; the caller holds the lock.</summary>
    private void ForgetRemovedScopes(ResourceServer resourceServer)
    {
        var scopes = resourceServer.Scopes.Select(s => s.Value).ToHashSet(StringComparer.Ordinal);
        _rolePermissions.DeleteAll(p => p.ResourceServerIdentifier == resourceServer.Identifier && !scopes.Contains(p.PermissionName));
        _userPermissions.DeleteAll(p => p.ResourceServerIdentifier == resourceServer.Identifier && !scopes.Contains(p.PermissionName));
    }
}
