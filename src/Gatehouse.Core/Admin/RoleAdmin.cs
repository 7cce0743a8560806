using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>A permission with what its API says about it, as Auth0 lists permissions.</summary>
public sealed record DescribedPermission(Permission Permission, string? Description, string? ResourceServerName);

/// <summary>
/// Every change to roles and permissions (Auth0's RBAC), from any door: role names unique, permissions only on scopes
/// an API defines, roles and users that exist, the store write, and one audit event naming the actor. Adding what is
/// already held and removing what is not are no errors, as at Auth0.
/// </summary>
public sealed class RoleAdmin(IGatehouseStore store, AdminAudit audit)
{
    /// <summary>Auth0's role ids: "rol_" and 16 alphanumerics.</summary>
    public static string NewRoleId() => "rol_" + Secrets.RandomAlphanumeric(16);

    public async Task<Role> FindAsync(string id, CancellationToken ct) =>
        (id.Length <= 64 ? await store.GetRoleAsync(id, ct) : null)
        ?? throw AdminException.NotFound("The role does not exist.", "inexistent_role");

    public async Task<Role> CreateAsync(AdminActor actor, string name, string? description, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        try
        {
            var created = await store.CreateRoleAsync(new Role(NewRoleId(), name, description, 0), ct);
            await audit.RecordAsync(actor, new AdminChange("Create a role", "post", "/api/v2/roles"), ct);
            return created;
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw AdminException.Conflict("name", "The role already exists.", "conflict");
        }
    }

    /// <summary>Null leaves a value as stored; an empty description clears it.</summary>
    public async Task<Role> UpdateAsync(AdminActor actor, Role current, string? name, string? description, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        try
        {
            var saved = await store.UpdateRoleAsync(current with
            {
                Name = name ?? current.Name,
                Description = description ?? current.Description,
            }, ct);
            await audit.RecordAsync(actor, new AdminChange("Update a role", "patch", "/api/v2/roles/" + current.Id), ct);
            return saved;
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw AdminException.Conflict("name", "The role already exists.", "conflict");
        }
    }

    /// <summary>Deletes the role; its users lose it and what it gave them.</summary>
    public async Task DeleteAsync(AdminActor actor, string id, CancellationToken ct)
    {
        var role = await FindAsync(id, ct);
        await store.DeleteRoleAsync(role.Id, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a role", "delete", "/api/v2/roles/" + role.Id), ct);
    }

    public async Task AddRolePermissionsAsync(AdminActor actor, string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        var role = await FindAsync(roleId, ct);
        await EnsureDefinedAsync(permissions, ct);
        await store.AddRolePermissionsAsync(role.Id, permissions, ct);
        await audit.RecordAsync(actor, new AdminChange("Add permissions to a role", "post", $"/api/v2/roles/{role.Id}/permissions", 201), ct);
    }

    public async Task RemoveRolePermissionsAsync(AdminActor actor, string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        var role = await FindAsync(roleId, ct);
        await store.RemoveRolePermissionsAsync(role.Id, permissions, ct);
        await audit.RecordAsync(actor, new AdminChange("Remove permissions from a role", "delete", $"/api/v2/roles/{role.Id}/permissions", 204), ct);
    }

    /// <summary>Assigns the role to users who all exist (else nothing changes).</summary>
    public async Task AssignUsersAsync(AdminActor actor, string roleId, IReadOnlyList<string> userIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(userIds);
        var role = await FindAsync(roleId, ct);
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
            await FindUserAsync(userId, ct);
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
            await store.AssignUserRolesAsync(userId, [role.Id], ct);
        await audit.RecordAsync(actor, new AdminChange("Assign users to a role", "post", $"/api/v2/roles/{role.Id}/users"), ct);
    }

    /// <summary>Assigns roles that all exist (else nothing changes) to the user.</summary>
    public async Task AssignRolesAsync(AdminActor actor, string userId, IReadOnlyList<string> roleIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(roleIds);
        var user = await FindUserAsync(userId, ct);
        foreach (var roleId in roleIds.Distinct(StringComparer.Ordinal))
            await FindAsync(roleId, ct);
        await store.AssignUserRolesAsync(user.UserId, roleIds, ct);
        await audit.RecordAsync(actor, new AdminChange("Assign roles to a user", "post", $"/api/v2/users/{user.UserId}/roles", 204), ct);
    }

    public async Task RemoveRolesAsync(AdminActor actor, string userId, IReadOnlyList<string> roleIds, CancellationToken ct)
    {
        var user = await FindUserAsync(userId, ct);
        await store.RemoveUserRolesAsync(user.UserId, roleIds, ct);
        await audit.RecordAsync(actor, new AdminChange("Remove roles from a user", "delete", $"/api/v2/users/{user.UserId}/roles", 204), ct);
    }

    public async Task AddUserPermissionsAsync(AdminActor actor, string userId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        var user = await FindUserAsync(userId, ct);
        await EnsureDefinedAsync(permissions, ct);
        await store.AddUserPermissionsAsync(user.UserId, permissions, ct);
        await audit.RecordAsync(actor, new AdminChange("Assign permissions to a user", "post", $"/api/v2/users/{user.UserId}/permissions", 201), ct);
    }

    public async Task RemoveUserPermissionsAsync(AdminActor actor, string userId, IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        var user = await FindUserAsync(userId, ct);
        await store.RemoveUserPermissionsAsync(user.UserId, permissions, ct);
        await audit.RecordAsync(actor, new AdminChange("Remove permissions from a user", "delete", $"/api/v2/users/{user.UserId}/permissions", 204), ct);
    }

    public Task<User> FindUserAsync(string userId, CancellationToken ct) => UserLookup.FindAsync(store, userId, ct);

    /// <summary>Each permission with its scope's description and its API's name (one read of the APIs).</summary>
    public async Task<IReadOnlyList<DescribedPermission>> DescribeAsync(IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        if (permissions.Count == 0)
            return [];
        var apis = (await store.ListResourceServersAsync(PageRequest.All, ct)).Items.ToDictionary(r => r.Identifier, StringComparer.Ordinal);
        return permissions.Select(p => apis.TryGetValue(p.ResourceServerIdentifier, out var api)
            ? new DescribedPermission(p, api.Scopes.FirstOrDefault(s => s.Value == p.PermissionName)?.Description, api.Name)
            : new DescribedPermission(p, null, null)).ToList();
    }

    /// <summary>Every permission names an API that exists and a scope it defines (Auth0's texts here are unconfirmed).</summary>
    private async Task EnsureDefinedAsync(IReadOnlyList<Permission> permissions, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(permissions);
        var apis = new Dictionary<string, ResourceServer?>(StringComparer.Ordinal);
        for (var i = 0; i < permissions.Count; i++)
        {
            var (identifier, name) = (permissions[i].ResourceServerIdentifier, permissions[i].PermissionName);
            if (!apis.TryGetValue(identifier, out var api))
                apis[identifier] = api = identifier.Length <= 600 ? await store.GetResourceServerByIdentifierAsync(identifier, ct) : null;
            if (api is null)
                throw AdminException.Invalid($"permissions[{i}].resource_server_identifier", $"Resource server {identifier} does not exist.");
            if (!api.Scopes.Any(s => s.Value == name))
                throw AdminException.Invalid($"permissions[{i}].permission_name", $"Permission {name} does not exist on resource server {identifier}.");
        }
    }
}
