using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<Role?> GetRoleAsync(string id, CancellationToken ct) =>
        QueryAsync(async db => (await db.Roles.SingleOrDefaultAsync(r => r.Id == id, ct))?.ToRecord(), ct);

    public Task<Page<Role>> ListRolesAsync(RoleQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        var filter = query.NameFilter?.ToLowerInvariant();
        return QueryAsync(db =>
        {
            IQueryable<RoleEntity> roles = db.Roles;
            if (!string.IsNullOrEmpty(filter))
                roles = roles.Where(r => r.NameLower.Contains(filter));
            return PageAsync(roles.OrderBy(r => r.Seq), query.Page, r => r.ToRecord(), ct);
        }, ct);
    }

    public async Task<Role> CreateRoleAsync(Role role, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(role);
        var created = role with { Version = 1 };
        await InsertAsync(RoleEntity.From(created), $"Role '{role.Name}'", ct);
        return created;
    }

    public async Task<Role> UpdateRoleAsync(Role role, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(role);
        await UpdateAsync(r => r.Id == role.Id, RoleEntity.From(role), $"Role '{role.Id}'", ct);
        return role with { Version = role.Version + 1 };
    }

    public Task DeleteRoleAsync(string id, CancellationToken ct) =>
        DeleteAsync<RoleEntity>(r => r.Id == id, $"Role '{id}'", ct, async db =>
        {
            await db.RolePermissions.Where(p => p.RoleId == id).ExecuteDeleteAsync(ct);
            await db.UserRoles.Where(u => u.RoleId == id).ExecuteDeleteAsync(ct);
        });

    public Task<Page<Permission>> ListRolePermissionsAsync(string roleId, PageRequest page, CancellationToken ct) =>
        QueryAsync(db => PageAsync(
            db.RolePermissions.Where(p => p.RoleId == roleId).OrderBy(p => p.ResourceServerIdentifier).ThenBy(p => p.PermissionName),
            page, p => p.ToRecord(), ct), ct);

    public Task AddRolePermissionsAsync(string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct) =>
        LinkWriteAsync($"Permissions of role '{roleId}'", async db =>
        {
            var held = (await db.RolePermissions.Where(p => p.RoleId == roleId).ToListAsync(ct)).Select(p => p.ToRecord()).ToHashSet();
            db.RolePermissions.AddRange(permissions.Distinct().Where(p => !held.Contains(p)).Select(p => new RolePermissionEntity
            {
                RoleId = roleId, ResourceServerIdentifier = p.ResourceServerIdentifier, PermissionName = p.PermissionName, Version = 1,
            }));
        }, ct);

    public Task RemoveRolePermissionsAsync(string roleId, IReadOnlyList<Permission> permissions, CancellationToken ct) =>
        LinkWriteAsync($"Permissions of role '{roleId}'", async db =>
        {
            foreach (var p in permissions.Distinct())
            {
                await db.RolePermissions.Where(r => r.RoleId == roleId && r.ResourceServerIdentifier == p.ResourceServerIdentifier
                    && r.PermissionName == p.PermissionName).ExecuteDeleteAsync(ct);
            }
        }, ct);

    public Task<Page<User>> ListRoleUsersAsync(string roleId, PageRequest page, CancellationToken ct) =>
        QueryAsync(db => PageAsync(
            from link in db.UserRoles
            join user in db.Users on link.UserId equals user.UserId
            where link.RoleId == roleId
            orderby link.Seq
            select user,
            page, u => u.ToRecord(), ct), ct);

    public Task<Page<Role>> ListUserRolesAsync(string userId, PageRequest page, CancellationToken ct) =>
        QueryAsync(db => PageAsync(
            from link in db.UserRoles
            join role in db.Roles on link.RoleId equals role.Id
            where link.UserId == userId
            orderby link.Seq
            select role,
            page, r => r.ToRecord(), ct), ct);

    public Task AssignUserRolesAsync(string userId, IReadOnlyList<string> roleIds, CancellationToken ct) =>
        LinkWriteAsync($"Roles of user '{userId}'", async db =>
        {
            var held = (await db.UserRoles.Where(u => u.UserId == userId).Select(u => u.RoleId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
            db.UserRoles.AddRange(roleIds.Distinct(StringComparer.Ordinal).Where(r => !held.Contains(r))
                .Select(r => new UserRoleEntity { UserId = userId, RoleId = r, Version = 1 }));
        }, ct);

    public Task RemoveUserRolesAsync(string userId, IReadOnlyList<string> roleIds, CancellationToken ct)
    {
        var ids = roleIds.ToList();
        return LinkWriteAsync($"Roles of user '{userId}'",
            db => db.UserRoles.Where(u => u.UserId == userId && ids.Contains(u.RoleId)).ExecuteDeleteAsync(ct), ct);
    }

    public Task AddUserPermissionsAsync(string userId, IReadOnlyList<Permission> permissions, CancellationToken ct) =>
        LinkWriteAsync($"Permissions of user '{userId}'", async db =>
        {
            var held = (await db.UserPermissions.Where(p => p.UserId == userId).ToListAsync(ct)).Select(p => p.ToRecord()).ToHashSet();
            db.UserPermissions.AddRange(permissions.Distinct().Where(p => !held.Contains(p)).Select(p => new UserPermissionEntity
            {
                UserId = userId, ResourceServerIdentifier = p.ResourceServerIdentifier, PermissionName = p.PermissionName, Version = 1,
            }));
        }, ct);

    public Task RemoveUserPermissionsAsync(string userId, IReadOnlyList<Permission> permissions, CancellationToken ct) =>
        LinkWriteAsync($"Permissions of user '{userId}'", async db =>
        {
            foreach (var p in permissions.Distinct())
            {
                await db.UserPermissions.Where(u => u.UserId == userId && u.ResourceServerIdentifier == p.ResourceServerIdentifier
                    && u.PermissionName == p.PermissionName).ExecuteDeleteAsync(ct);
            }
        }, ct);

    public Task<IReadOnlyList<UserPermission>> ListUserPermissionsAsync(string userId, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<UserPermission>>(async db =>
        {
            var direct = await db.UserPermissions.Where(p => p.UserId == userId).ToListAsync(ct);
            var viaRoles = await (
                from link in db.UserRoles
                join role in db.Roles on link.RoleId equals role.Id
                join permission in db.RolePermissions on role.Id equals permission.RoleId
                where link.UserId == userId
                select new { permission.ResourceServerIdentifier, permission.PermissionName, role.Id, role.Name }).ToListAsync(ct);
            return RoleRows.UserPermissions(
                direct.Select(p => new UserPermission(p.ToRecord(), null, null))
                    .Concat(viaRoles.Select(r => new UserPermission(new Permission(r.ResourceServerIdentifier, r.PermissionName), r.Id, r.Name))));
        }, ct);

    public Task<IReadOnlyList<string>> ListEffectivePermissionsAsync(string userId, string resourceServerIdentifier, CancellationToken ct) =>
        QueryAsync<IReadOnlyList<string>>(async db =>
        {
            var direct = db.UserPermissions
                .Where(p => p.UserId == userId && p.ResourceServerIdentifier == resourceServerIdentifier)
                .Select(p => p.PermissionName);
            var viaRoles =
                from link in db.UserRoles
                join permission in db.RolePermissions on link.RoleId equals permission.RoleId
                where link.UserId == userId && permission.ResourceServerIdentifier == resourceServerIdentifier
                select permission.PermissionName;
            var names = await direct.Union(viaRoles).ToListAsync(ct);
            return RoleRows.Sorted(names);
        }, ct);

    /// <summary>
    /// Adds or removes link rows in one transaction. Two writers adding the same row at once (PostgreSQL) meet at the
    /// unique index; the loser reads again and finds the row there, so adding stays idempotent.
    /// </summary>
    private async Task LinkWriteAsync(string what, Func<TContext, Task> work, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await using var db = await factory.CreateDbContextAsync(ct);
                using var entered = await writes.EnterAsync(ct);
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                await work(db);
                await SaveAsync(db, what, ct);
                await transaction.CommitAsync(ct);
                return;
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists && attempt < 3)
            {
            }
        }
    }
}
