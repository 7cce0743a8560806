using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task A_linked_user_keeps_its_row_and_lookups_but_lists_leave_it_out()
    {
        var connection = await Store.CreateConnectionAsync(Connection(), Ct);
        var email = Unique("linked") + "@example.com";
        var primary = await Store.CreateUserAsync(User(connection.Id), Ct);
        var secondary = await Store.CreateUserAsync(User(connection.Id, email) with { ExternalKey = "tid/linked" }, Ct);

        var linked = await Store.UpdateUserAsync(secondary with { LinkedTo = primary.UserId }, Ct);

        Assert.Equal(primary.UserId, linked.LinkedTo);
        Assert.Equal(primary.UserId, (await Store.GetUserAsync(secondary.UserId, Ct))!.LinkedTo);
        Assert.Equal(primary.UserId, (await Store.FindUserByEmailAsync(connection.Id, email, Ct))!.LinkedTo);
        Assert.Equal(primary.UserId, (await Store.FindUserByExternalKeyAsync(connection.Id, "tid/linked", Ct))!.LinkedTo);
        Assert.Null((await Store.GetUserAsync(primary.UserId, Ct))!.LinkedTo);
        Assert.Empty(await Store.ListUsersByEmailAsync(email, Ct));
        var listed = await Store.ListUsersAsync(new UserQuery(null, connection.Name, null, false, PageRequest.All), Ct);
        Assert.Equal([primary.UserId], listed.Items.Select(u => u.UserId));
        Assert.Equal(1, listed.Total);

        // Unlinked, it is a user again; the login write keeps the mark as the record says.
        await Store.UpdateUserAsync((await Store.GetUserAsync(secondary.UserId, Ct))! with { LinkedTo = null }, Ct);
        Assert.Equal(2, (await Store.ListUsersAsync(new UserQuery(null, connection.Name, null, false, PageRequest.All), Ct)).Total);
        var again = (await Store.GetUserAsync(secondary.UserId, Ct))!;
        var onLogin = await Store.UpdateUserOnLoginAsync(again with { LinkedTo = primary.UserId }, T0, null, Ct);
        Assert.Equal(primary.UserId, (await Store.GetUserAsync(onLogin.UserId, Ct))!.LinkedTo);
    }
}
