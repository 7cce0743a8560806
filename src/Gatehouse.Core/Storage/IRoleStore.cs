namespace Gatehouse.Core.Storage;

/// <summary>
/// Roles, their permissions, and users' roles and direct permissions (rules: <see cref="IGatehouseStore"/>). Adding a
/// permission or a role a holder already has, or removing one it has not, changes nothing and is no error; the caller
/// checks that roles, users and scopes exist. Deleting a role, a user (or their connection) or a resource server, or
/// removing a scope from a resource server, removes every row that names it.
/// </summary>
public interface IRoleStore
{
    Task<Role?> GetRoleAsync(string id, CancellationToken ct);
    Task<Page<Role>> ListRolesAsync(RoleQuery query, CancellationToken ct);

    /// <summary>AlreadyExists when the id or the name is taken.</summary>
    Task<Role> CreateRoleAsync(Role role, CancellationToken ct);
    Task<Role> UpdateRoleAsync(Role role, CancellationToken ct);

    /// <summary>Deletes the role, its permissions and its assignments to users.</summary>
    Task DeleteRoleAsync(string id, CancellationToken ct);

    /// <summary>Ordered by API identifier, then permission name.</summary>
    Task<Page<Permission>> ListRolePermissionsAsync(string roleId, PageRequest page, CancellationToken ct);
    Task AddRolePermissionsAsync(string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct);
    Task RemoveRolePermissionsAsync(string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct);

    /// <summary>The role's users in the order they were assigned.</summary>
    Task<Page<User>> ListRoleUsersAsync(string roleId, PageRequest page, CancellationToken ct);

    /// <summary>The user's roles in the order they were assigned.</summary>
    Task<Page<Role>> ListUserRolesAsync(string userId, PageRequest page, CancellationToken ct);
    Task AssignUserRolesAsync(string userId, IReadOnlyList<string> roleIds, CancellationToken ct);
    Task RemoveUserRolesAsync(string userId, IReadOnlyList<string> roleIds, CancellationToken ct);

    Task AddUserPermissionsAsync(string userId, IReadOnlyList<Permission> permissions, CancellationToken ct);
    Task RemoveUserPermissionsAsync(string userId, IReadOnlyList<Permission> permissions, CancellationToken ct);

    /// <summary>Every permission the user holds, direct ones and each role's, one entry per source, ordered by API identifier, permission name, then source (direct first).</summary>
    Task<IReadOnlyList<UserPermission>> ListUserPermissionsAsync(string userId, CancellationToken ct);

    /// <summary>
    /// The distinct permission names the user holds on one API, direct or through a role, sorted ordinally: what a
    /// token for an API that enforces RBAC may carry. One query: it is on the token path.
    /// </summary>
    Task<IReadOnlyList<string>> ListEffectivePermissionsAsync(string userId, string resourceServerIdentifier, CancellationToken ct);
}
