using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Client_grant_round_trips_and_is_found_by_client_and_audience()
    {
        var grant = await Store.CreateClientGrantAsync(Grant(Unique("cl_"), "https://api.example/"), Ct);
        AssertSame(grant, await Store.GetClientGrantAsync(grant.Id, Ct));
        AssertSame(grant, await Store.FindClientGrantAsync(grant.ClientId, grant.Audience, Ct));
        Assert.Null(await Store.FindClientGrantAsync(grant.ClientId, "https://other.example/", Ct));
    }

    [Fact]
    public async Task Client_grant_is_unique_per_client_and_audience()
    {
        var clientId = Unique("cl_");
        var grant = await Store.CreateClientGrantAsync(Grant(clientId, "https://api.example/"), Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateClientGrantAsync(Grant(clientId, "https://api.example/"), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateClientGrantAsync(Grant(Unique("cl_"), "https://x/") with { Id = grant.Id }, Ct));
        await Store.CreateClientGrantAsync(Grant(clientId, "https://other.example/"), Ct);
    }

    [Fact]
    public async Task Client_grants_list_filters_by_client_and_audience()
    {
        var clientId = Unique("cl_");
        var audience = $"https://{Unique("api")}.example/";
        var g1 = await Store.CreateClientGrantAsync(Grant(clientId, audience), Ct);
        var g2 = await Store.CreateClientGrantAsync(Grant(clientId, "https://second.example/"), Ct);
        var g3 = await Store.CreateClientGrantAsync(Grant(Unique("cl_"), audience), Ct);

        var byClient = await Store.ListClientGrantsAsync(new ClientGrantQuery(clientId, null, PageRequest.All), Ct);
        Assert.Equal([g1.Id, g2.Id], byClient.Items.Select(g => g.Id));
        var byAudience = await Store.ListClientGrantsAsync(new ClientGrantQuery(null, audience, PageRequest.All), Ct);
        Assert.Equal([g1.Id, g3.Id], byAudience.Items.Select(g => g.Id));
        var both = await Store.ListClientGrantsAsync(new ClientGrantQuery(clientId, audience, PageRequest.All), Ct);
        Assert.Equal([g1.Id], both.Items.Select(g => g.Id));
        var paged = await Store.ListClientGrantsAsync(new ClientGrantQuery(clientId, null, new PageRequest(1, 1)), Ct);
        Assert.Equal(2, paged.Total);
        Assert.Equal([g2.Id], paged.Items.Select(g => g.Id));
    }

    [Fact]
    public async Task Client_grant_update_conflicts_on_stale_version_and_delete_removes_it()
    {
        var grant = await Store.CreateClientGrantAsync(Grant(Unique("cl_"), "https://api.example/"), Ct);
        var updated = await Store.UpdateClientGrantAsync(grant with { Scope = ["read:orders"] }, Ct);
        Assert.Equal(["read:orders"], (await Store.GetClientGrantAsync(grant.Id, Ct))!.Scope);
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateClientGrantAsync(grant with { Scope = [] }, Ct));

        await Store.DeleteClientGrantAsync(grant.Id, Ct);
        Assert.Null(await Store.GetClientGrantAsync(grant.Id, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateClientGrantAsync(updated, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.DeleteClientGrantAsync(grant.Id, Ct));
    }
}
