using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static Role NewRole(string? name = null) => new(Unique("rol_"), name ?? Unique("role-"), "Reads orders", 0);

    [Fact]
    public async Task Role_round_trips_and_its_id_and_name_are_unique()
    {
        var created = await Store.CreateRoleAsync(NewRole(), Ct);
        Assert.Equal(1, created.Version);
        AssertSame(created, await Store.GetRoleAsync(created.Id, Ct));
        Assert.Null(await Store.GetRoleAsync("rol_nothing", Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateRoleAsync(NewRole(created.Name), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateRoleAsync(NewRole() with { Id = created.Id }, Ct));
    }

    [Fact]
    public async Task Role_update_conflicts_on_stale_version_and_keeps_names_unique()
    {
        var created = await Store.CreateRoleAsync(NewRole(), Ct);
        var other = await Store.CreateRoleAsync(NewRole(), Ct);
        var updated = await Store.UpdateRoleAsync(created with { Description = null }, Ct);
        AssertSame(updated, await Store.GetRoleAsync(created.Id, Ct));
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateRoleAsync(created with { Name = "stale" }, Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.UpdateRoleAsync(updated with { Name = other.Name }, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateRoleAsync(NewRole() with { Version = 1 }, Ct));
    }

    [Fact]
    public async Task Roles_list_in_creation_order_and_filter_by_name_case_insensitively()
    {
        var tag = Unique("Tag");
        var first = await Store.CreateRoleAsync(NewRole(tag + "-Admin"), Ct);
        var second = await Store.CreateRoleAsync(NewRole("reader-" + tag.ToLowerInvariant()), Ct);
        await Store.CreateRoleAsync(NewRole(), Ct);

        var filtered = await Store.ListRolesAsync(new RoleQuery(tag.ToUpperInvariant(), PageRequest.All), Ct);
        Assert.Equal([first.Id, second.Id], filtered.Items.Select(r => r.Id));
        var page = await Store.ListRolesAsync(new RoleQuery(tag, new PageRequest(1, 1)), Ct);
        Assert.Equal(2, page.Total);
        Assert.Equal([second.Id], page.Items.Select(r => r.Id));
        Assert.True((await Store.ListRolesAsync(new RoleQuery(null, PageRequest.All), Ct)).Total >= 3);
    }

    [Fact]
    public async Task Role_permissions_add_idempotently_list_ordered_and_remove()
    {
        var role = await Store.CreateRoleAsync(NewRole(), Ct);
        var api = Unique("https://api") + ".example/";
        await Store.AddRolePermissionsAsync(role.Id, [new(api, "write:orders"), new(api, "read:orders")], Ct);
        await Store.AddRolePermissionsAsync(role.Id, [new(api, "read:orders"), new(api, "read:orders")], Ct);

        var page = await Store.ListRolePermissionsAsync(role.Id, PageRequest.All, Ct);
        Assert.Equal([new Permission(api, "read:orders"), new Permission(api, "write:orders")], page.Items);
        var second = await Store.ListRolePermissionsAsync(role.Id, new PageRequest(1, 1), Ct);
        Assert.Equal(2, second.Total);
        Assert.Equal([new Permission(api, "write:orders")], second.Items);

        await Store.RemoveRolePermissionsAsync(role.Id, [new(api, "read:orders"), new(api, "never:held")], Ct);
        Assert.Equal([new Permission(api, "write:orders")], (await Store.ListRolePermissionsAsync(role.Id, PageRequest.All, Ct)).Items);
    }

    [Fact]
    public async Task User_roles_assign_idempotently_and_list_both_ways_in_assignment_order()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var ada = await Store.CreateUserAsync(User(connection.Id), Ct);
        var bob = await Store.CreateUserAsync(User(connection.Id), Ct);
        var admin = await Store.CreateRoleAsync(NewRole(), Ct);
        var reader = await Store.CreateRoleAsync(NewRole(), Ct);

        await Store.AssignUserRolesAsync(ada.UserId, [reader.Id, admin.Id, reader.Id], Ct);
        await Store.AssignUserRolesAsync(ada.UserId, [admin.Id], Ct);
        await Store.AssignUserRolesAsync(bob.UserId, [admin.Id], Ct);

        Assert.Equal([reader.Id, admin.Id], (await Store.ListUserRolesAsync(ada.UserId, PageRequest.All, Ct)).Items.Select(r => r.Id));
        var members = await Store.ListRoleUsersAsync(admin.Id, PageRequest.All, Ct);
        Assert.Equal([ada.UserId, bob.UserId], members.Items.Select(u => u.UserId));
        Assert.Equal("Ada Lovelace", members.Items[0].Name);
        var paged = await Store.ListRoleUsersAsync(admin.Id, new PageRequest(1, 1), Ct);
        Assert.Equal((2, bob.UserId), (paged.Total, paged.Items.Single().UserId));

        await Store.RemoveUserRolesAsync(ada.UserId, [admin.Id, "rol_never_held"], Ct);
        Assert.Equal([reader.Id], (await Store.ListUserRolesAsync(ada.UserId, PageRequest.All, Ct)).Items.Select(r => r.Id));
        Assert.Equal([bob.UserId], (await Store.ListRoleUsersAsync(admin.Id, PageRequest.All, Ct)).Items.Select(u => u.UserId));
    }

    [Fact]
    public async Task User_permissions_are_direct_and_through_roles_with_their_sources()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        var api = Unique("https://api") + ".example/";
        var other = Unique("https://other") + ".example/";
        var role = await Store.CreateRoleAsync(NewRole(), Ct);
        await Store.AddRolePermissionsAsync(role.Id, [new(api, "read:orders"), new(api, "write:orders"), new(other, "read:x")], Ct);
        await Store.AssignUserRolesAsync(user.UserId, [role.Id], Ct);
        await Store.AddUserPermissionsAsync(user.UserId, [new(api, "read:orders"), new(api, "delete:orders")], Ct);
        await Store.AddUserPermissionsAsync(user.UserId, [new(api, "delete:orders")], Ct);

        Assert.Equal(["delete:orders", "read:orders", "write:orders"], await Store.ListEffectivePermissionsAsync(user.UserId, api, Ct));
        Assert.Equal(["read:x"], await Store.ListEffectivePermissionsAsync(user.UserId, other, Ct));
        Assert.Empty(await Store.ListEffectivePermissionsAsync("auth0|nobody", api, Ct));

        Assert.Equal(
            [
                new UserPermission(new(api, "delete:orders"), null, null),
                new UserPermission(new(api, "read:orders"), null, null),
                new UserPermission(new(api, "read:orders"), role.Id, role.Name),
                new UserPermission(new(api, "write:orders"), role.Id, role.Name),
                new UserPermission(new(other, "read:x"), role.Id, role.Name),
            ],
            await Store.ListUserPermissionsAsync(user.UserId, Ct));

        await Store.RemoveUserPermissionsAsync(user.UserId, [new(api, "read:orders")], Ct);
        Assert.Equal(["delete:orders", "read:orders", "write:orders"], await Store.ListEffectivePermissionsAsync(user.UserId, api, Ct));
        await Store.RemoveUserRolesAsync(user.UserId, [role.Id], Ct);
        Assert.Equal(["delete:orders"], await Store.ListEffectivePermissionsAsync(user.UserId, api, Ct));
    }

    [Fact]
    public async Task Deleting_a_role_removes_its_permissions_and_assignments()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        var api = Unique("https://api") + ".example/";
        var role = await Store.CreateRoleAsync(NewRole(), Ct);
        await Store.AddRolePermissionsAsync(role.Id, [new(api, "read:orders")], Ct);
        await Store.AssignUserRolesAsync(user.UserId, [role.Id], Ct);

        await Store.DeleteRoleAsync(role.Id, Ct);
        Assert.Null(await Store.GetRoleAsync(role.Id, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteRoleAsync(role.Id, Ct));
        Assert.Empty((await Store.ListUserRolesAsync(user.UserId, PageRequest.All, Ct)).Items);
        Assert.Empty(await Store.ListEffectivePermissionsAsync(user.UserId, api, Ct));
        Assert.Empty((await Store.ListRolePermissionsAsync(role.Id, PageRequest.All, Ct)).Items);

        // A new role of the same name starts with nothing.
        var again = await Store.CreateRoleAsync(NewRole(role.Name) with { Id = role.Id }, Ct);
        Assert.Empty((await Store.ListRoleUsersAsync(again.Id, PageRequest.All, Ct)).Items);
    }

    [Fact]
    public async Task Deleting_a_user_or_their_connection_removes_their_roles_and_permissions()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        var second = await Store.CreateUserAsync(User(connection.Id), Ct);
        var api = Unique("https://api") + ".example/";
        var role = await Store.CreateRoleAsync(NewRole(), Ct);
        foreach (var holder in new[] { user, second })
        {
            await Store.AssignUserRolesAsync(holder.UserId, [role.Id], Ct);
            await Store.AddUserPermissionsAsync(holder.UserId, [new(api, "read:orders")], Ct);
        }

        await Store.DeleteUserAsync(user.UserId, Ct);
        Assert.Equal([second.UserId], (await Store.ListRoleUsersAsync(role.Id, PageRequest.All, Ct)).Items.Select(u => u.UserId));
        Assert.Empty(await Store.ListUserPermissionsAsync(user.UserId, Ct));

        // A user created again under the same id holds nothing of the deleted one's.
        await Store.CreateUserAsync(User(connection.Id, userId: user.UserId), Ct);
        Assert.Empty(await Store.ListUserPermissionsAsync(user.UserId, Ct));

        await Store.DeleteConnectionAsync(connection.Id, Ct);
        Assert.Empty((await Store.ListRoleUsersAsync(role.Id, PageRequest.All, Ct)).Items);
        Assert.Empty(await Store.ListUserPermissionsAsync(second.UserId, Ct));
        Assert.Empty((await Store.ListUserRolesAsync(second.UserId, PageRequest.All, Ct)).Items);
    }

    [Fact]
    public async Task Removing_a_scope_or_deleting_the_api_removes_the_permissions_on_it()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var user = await Store.CreateUserAsync(User(connection.Id), Ct);
        // Identifiers that sort in a known order (permission lists are ordered by identifier).
        var api = await Store.CreateResourceServerAsync(ResourceServer(identifier: $"https://{Unique("a")}.example/"), Ct);
        var kept = await Store.CreateResourceServerAsync(ResourceServer(identifier: $"https://{Unique("b")}.example/"), Ct);
        var role = await Store.CreateRoleAsync(NewRole(), Ct);
        Permission[] both = [new(api.Identifier, "read:orders"), new(api.Identifier, "write:orders"), new(kept.Identifier, "read:orders")];
        await Store.AddRolePermissionsAsync(role.Id, both, Ct);
        await Store.AddUserPermissionsAsync(user.UserId, both, Ct);

        await Store.UpdateResourceServerAsync(api with { Scopes = [new ResourceServerScope("read:orders", null)] }, Ct);
        Assert.Equal([both[0], both[2]], (await Store.ListRolePermissionsAsync(role.Id, PageRequest.All, Ct)).Items);
        Assert.Equal(["read:orders"], await Store.ListEffectivePermissionsAsync(user.UserId, api.Identifier, Ct));

        await Store.DeleteResourceServerAsync(api.Id, Ct);
        Assert.Equal([both[2]], (await Store.ListRolePermissionsAsync(role.Id, PageRequest.All, Ct)).Items);
        Assert.Equal([both[2]], (await Store.ListUserPermissionsAsync(user.UserId, Ct)).Select(p => p.Permission));
    }
}
