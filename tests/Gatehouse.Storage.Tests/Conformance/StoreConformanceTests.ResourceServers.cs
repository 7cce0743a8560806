using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Resource_server_round_trips_and_is_found_by_identifier()
    {
        var created = await Store.CreateResourceServerAsync(ResourceServer(), Ct);
        AssertSame(created, await Store.GetResourceServerAsync(created.Id, Ct));
        var byIdentifier = await Store.GetResourceServerByIdentifierAsync(created.Identifier, Ct);
        AssertSame(created, byIdentifier);
        Assert.Equal(new ResourceServerScope("write:orders", null), byIdentifier!.Scopes[1]);
        Assert.Null(await Store.GetResourceServerByIdentifierAsync("https://nothing.example/", Ct));
    }

    [Fact]
    public async Task Resource_server_id_and_identifier_are_unique()
    {
        var created = await Store.CreateResourceServerAsync(ResourceServer(), Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateResourceServerAsync(ResourceServer(identifier: created.Identifier), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateResourceServerAsync(ResourceServer(id: created.Id), Ct));
    }

    [Fact]
    public async Task Resource_server_update_conflicts_on_stale_version_and_delete_removes_it()
    {
        var created = await Store.CreateResourceServerAsync(ResourceServer(), Ct);
        var updated = await Store.UpdateResourceServerAsync(created with { TokenLifetime = 60, Scopes = [] }, Ct);
        AssertSame(updated, await Store.GetResourceServerAsync(created.Id, Ct));
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateResourceServerAsync(created with { Name = "stale" }, Ct));

        await Store.DeleteResourceServerAsync(created.Id, Ct);
        Assert.Null(await Store.GetResourceServerAsync(created.Id, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteResourceServerAsync(created.Id, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateResourceServerAsync(updated, Ct));
    }

    [Fact]
    public async Task Resource_servers_list_in_creation_order()
    {
        var before = (await Store.ListResourceServersAsync(PageRequest.All, Ct)).Total;
        var first = await Store.CreateResourceServerAsync(ResourceServer(), Ct);
        var second = await Store.CreateResourceServerAsync(ResourceServer(), Ct);
        var page = await Store.ListResourceServersAsync(new PageRequest(0, before + 2), Ct);
        Assert.Equal(before + 2, page.Total);
        Assert.Equal([first.Id, second.Id], page.Items.Skip(before).Select(r => r.Id));
    }
}
