using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Connection_round_trips_its_options_byte_for_byte_and_is_found_by_name()
    {
        var created = await Store.CreateConnectionAsync(Connection(), Ct);
        var read = await Store.GetConnectionAsync(created.Id, Ct);
        AssertSame(created, read);
        Assert.Equal(created.Options.GetRawText(), read!.Options.GetRawText());
        AssertSame(created, await Store.GetConnectionByNameAsync(created.Name, Ct));
        Assert.Null(await Store.GetConnectionByNameAsync(Unique("missing-"), Ct));
    }

    [Fact]
    public async Task Connection_id_and_name_are_unique()
    {
        var created = await Store.CreateConnectionAsync(Connection(), Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateConnectionAsync(Connection(created.Name), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateConnectionAsync(Connection() with { Id = created.Id }, Ct));
    }

    [Fact]
    public async Task Connections_list_filters_by_any_of_the_strategies_and_by_name()
    {
        var strategyA = Unique("s");
        var strategyB = Unique("s");
        var a1 = await Store.CreateConnectionAsync(Connection(strategy: strategyA), Ct);
        var b1 = await Store.CreateConnectionAsync(Connection(strategy: strategyB), Ct);
        var a2 = await Store.CreateConnectionAsync(Connection(strategy: strategyA), Ct);
        await Store.CreateConnectionAsync(Connection(strategy: Unique("s")), Ct);

        var both = await Store.ListConnectionsAsync(new ConnectionQuery([strategyA, strategyB], null, PageRequest.All), Ct);
        Assert.Equal([a1.Id, b1.Id, a2.Id], both.Items.Select(c => c.Id));
        var byName = await Store.ListConnectionsAsync(new ConnectionQuery(null, b1.Name, PageRequest.All), Ct);
        Assert.Equal([b1.Id], byName.Items.Select(c => c.Id));
        var nameAndWrongStrategy = await Store.ListConnectionsAsync(new ConnectionQuery([strategyA], b1.Name, PageRequest.All), Ct);
        Assert.Empty(nameAndWrongStrategy.Items);
        var paged = await Store.ListConnectionsAsync(new ConnectionQuery([strategyA, strategyB], null, new PageRequest(1, 2)), Ct);
        Assert.Equal(3, paged.Total);
        Assert.Equal([a2.Id], paged.Items.Select(c => c.Id));

        // A window starts at any row (checkpoint paging), not only at a multiple of its size.
        var window = await Store.ListConnectionsAsync(new ConnectionQuery([strategyA, strategyB], null, PageRequest.Window(1, 2)), Ct);
        Assert.Equal(3, window.Total);
        Assert.Equal([b1.Id, a2.Id], window.Items.Select(c => c.Id));
        Assert.Empty((await Store.ListConnectionsAsync(new ConnectionQuery([strategyA, strategyB], null, PageRequest.Window(3, 2)), Ct)).Items);
    }

    [Fact]
    public async Task Connection_update_conflicts_on_stale_version()
    {
        var created = await Store.CreateConnectionAsync(Connection(), Ct);
        var updated = await Store.UpdateConnectionAsync(created with { EnabledClients = ["client-c"], Options = Json("""{"x":1}""") }, Ct);
        var read = await Store.GetConnectionAsync(created.Id, Ct);
        AssertSame(updated, read);
        Assert.Equal(2, read!.Version);
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateConnectionAsync(created with { DisplayName = "stale" }, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateConnectionAsync(Connection() with { Version = 1 }, Ct));
    }

    [Fact]
    public async Task Connection_delete_also_deletes_its_users_and_only_its_users()
    {
        var doomed = await Store.CreateConnectionAsync(Connection(), Ct);
        var kept = await Store.CreateConnectionAsync(Connection(), Ct);
        var u1 = await Store.CreateUserAsync(User(doomed.Id, "one@example.com"), Ct);
        var u2 = await Store.CreateUserAsync(User(doomed.Id, "two@example.com"), Ct);
        var survivor = await Store.CreateUserAsync(User(kept.Id, "one@example.com"), Ct);

        await Store.DeleteConnectionAsync(doomed.Id, Ct);

        Assert.Null(await Store.GetConnectionAsync(doomed.Id, Ct));
        Assert.Null(await Store.GetUserAsync(u1.UserId, Ct));
        Assert.Null(await Store.GetUserAsync(u2.UserId, Ct));
        Assert.NotNull(await Store.GetUserAsync(survivor.UserId, Ct));
        Assert.NotNull(await Store.GetConnectionAsync(kept.Id, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteConnectionAsync(doomed.Id, Ct));
    }
}
