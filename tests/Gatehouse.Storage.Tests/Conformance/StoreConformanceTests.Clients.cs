using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Client_round_trips_every_field_and_starts_at_version_one()
    {
        var created = await Store.CreateClientAsync(Client() with { Version = 42 }, Ct);
        Assert.Equal(1, created.Version);
        var read = await Store.GetClientAsync(created.ClientId, Ct);
        AssertSame(created, read);
        Assert.Equal(T0.UtcTicks, read!.CreatedAt.UtcTicks);
        Assert.Equal(["password", "refresh_token"], read.GrantTypes);
        Assert.Equal(36000, read.Extra!.Value.GetProperty("jwt_configuration").GetProperty("lifetime_in_seconds").GetInt32());
        Assert.Null(await Store.GetClientAsync(Unique("missing"), Ct));
    }

    [Fact]
    public async Task Client_with_a_taken_id_is_refused_as_already_exists()
    {
        var client = await Store.CreateClientAsync(Client(), Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateClientAsync(Client(client.ClientId) with { Name = "Other" }, Ct));
        Assert.Equal("Mobile app", (await Store.GetClientAsync(client.ClientId, Ct))!.Name);
    }

    [Fact]
    public async Task Client_update_stores_the_record_and_bumps_the_version()
    {
        var created = await Store.CreateClientAsync(Client(), Ct);
        var updated = await Store.UpdateClientAsync(created with { Name = "Renamed", GrantTypes = ["client_credentials"], Extra = null }, Ct);
        Assert.Equal(2, updated.Version);
        AssertSame(updated, await Store.GetClientAsync(created.ClientId, Ct));
    }

    [Fact]
    public async Task Client_update_from_a_stale_read_is_a_conflict_not_last_writer_wins()
    {
        var created = await Store.CreateClientAsync(Client(), Ct);
        var readerA = await Store.GetClientAsync(created.ClientId, Ct);
        var readerB = await Store.GetClientAsync(created.ClientId, Ct);

        await Store.UpdateClientAsync(readerA! with { Name = "A wins" }, Ct);
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateClientAsync(readerB! with { Name = "B loses" }, Ct));
        Assert.Equal("A wins", (await Store.GetClientAsync(created.ClientId, Ct))!.Name);
    }

    [Fact]
    public async Task Client_update_and_delete_of_a_missing_client_are_not_found()
    {
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateClientAsync(Client() with { Version = 1 }, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteClientAsync(Unique("missing"), Ct));

        var created = await Store.CreateClientAsync(Client(), Ct);
        await Store.DeleteClientAsync(created.ClientId, Ct);
        Assert.Null(await Store.GetClientAsync(created.ClientId, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteClientAsync(created.ClientId, Ct));
    }

    [Fact]
    public async Task Clients_list_oldest_first_with_offset_paging_and_total()
    {
        var before = await Store.ListClientsAsync(PageRequest.All, Ct);
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
            mine.Add((await Store.CreateClientAsync(Client(), Ct)).ClientId);

        var all = await Store.ListClientsAsync(PageRequest.All, Ct);
        Assert.Equal(before.Total + 3, all.Total);
        Assert.Equal(mine, all.Items.Skip(before.Total).Select(c => c.ClientId));

        var secondPage = await Store.ListClientsAsync(new PageRequest(1, 2), Ct);
        Assert.Equal(all.Total, secondPage.Total);
        Assert.Equal(all.Items.Skip(2).Take(2).Select(c => c.ClientId), secondPage.Items.Select(c => c.ClientId));

        var beyond = await Store.ListClientsAsync(new PageRequest(1000, 50), Ct);
        Assert.Empty(beyond.Items);
        Assert.Equal(all.Total, beyond.Total);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListClientsAsync(new PageRequest(-1, 10), Ct));
    }
}
