using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests;

public class ConfigCacheTests
{
    private static readonly CancellationToken None = CancellationToken.None;

    private static (TestWorld World, ConfigCache Cache) Cached(double seconds = 5)
    {
        var world = new TestWorld();
        world.AddClient("app", "none", null, "password");
        world.Store.Calls.Clear();
        return (world, new ConfigCache(world.Store, world.Time, new ConfigCacheOptions { Seconds = seconds }));
    }

    [Fact]
    public async Task A_found_record_is_read_from_the_store_once_within_the_window_and_again_after_it()
    {
        var (world, cache) = Cached();
        using var _ = world;

        Assert.Equal("app", (await cache.GetClientAsync("app", None))!.ClientId);
        Assert.Equal("app", (await cache.GetClientAsync("app", None))!.ClientId);
        world.Time.Advance(TimeSpan.FromSeconds(4.9));
        await cache.GetClientAsync("app", None);
        Assert.Single(world.Store.Calls, c => c == nameof(IGatehouseStore.GetClientAsync));

        world.Time.Advance(TimeSpan.FromSeconds(0.2));
        await cache.GetClientAsync("app", None);
        Assert.Equal(2, world.Store.Calls.Count(c => c == nameof(IGatehouseStore.GetClientAsync)));
    }

    [Fact]
    public async Task Another_nodes_change_is_served_within_the_window_and_seen_after_it()
    {
        var (world, cache) = Cached();
        using var _ = world;
        var before = (await cache.GetClientAsync("app", None))!;

        // Written behind this cache's back, as another node would.
        await world.Store.AsAnotherNodeAsync(() => world.Store.UpdateClientAsync(before with { GrantTypes = ["client_credentials"] }, None));
        Assert.Equal(["password"], (await cache.GetClientAsync("app", None))!.GrantTypes);

        world.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(["client_credentials"], (await cache.GetClientAsync("app", None))!.GrantTypes);
    }

    /// <summary>The in-memory store raises ConfigurationChanged like the EF store, so this node's own write is served at once.</summary>
    [Fact]
    public async Task This_nodes_write_is_served_at_once()
    {
        var (world, cache) = Cached();
        using var _ = world;
        var before = (await cache.GetClientAsync("app", None))!;

        await world.Store.UpdateClientAsync(before with { GrantTypes = ["client_credentials"] }, None);

        Assert.Equal(["client_credentials"], (await cache.GetClientAsync("app", None))!.GrantTypes);
    }

    [Fact]
    public async Task Invalidate_makes_the_next_read_go_to_the_store()
    {
        var (world, cache) = Cached();
        using var _ = world;
        var before = (await cache.GetClientAsync("app", None))!;
        await world.Store.AsAnotherNodeAsync(() => world.Store.UpdateClientAsync(before with { Name = "renamed" }, None));

        cache.Invalidate();

        Assert.Equal("renamed", (await cache.GetClientAsync("app", None))!.Name);
    }

    [Fact]
    public async Task A_miss_is_not_kept_so_a_record_created_later_is_found_at_once()
    {
        var (world, cache) = Cached();
        using var _ = world;

        Assert.Null(await cache.GetClientAsync("later", None));
        world.AddClient("later");
        Assert.NotNull(await cache.GetClientAsync("later", None));
    }

    [Fact]
    public async Task Each_kind_is_keyed_on_its_own_and_zero_seconds_turns_the_cache_off()
    {
        var (world, cache) = Cached();
        using var _ = world;
        var api = world.AddApi("https://api", false, "read");
        world.AddConnection("db", "auth0", "app");
        await world.Store.CreateClientGrantAsync(new ClientGrant("cgr_1", "app", api.Identifier, ["read"], 0), None);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("Test", (await cache.GetTenantSettingsAsync(None))!.FriendlyName);
            Assert.Equal("db", (await cache.GetConnectionByNameAsync("db", None))!.Name);
            Assert.Equal(api.Id, (await cache.GetResourceServerByIdentifierAsync("https://api", None))!.Id);
            Assert.Equal("cgr_1", (await cache.FindClientGrantAsync("app", "https://api", None))!.Id);
            Assert.Null(await cache.FindClientGrantAsync("app", "https://other", None));
        }
        Assert.Equal(1, world.Store.Calls.Count(c => c == nameof(IGatehouseStore.GetTenantSettingsAsync)));
        Assert.Equal(1, world.Store.Calls.Count(c => c == nameof(IGatehouseStore.GetConnectionByNameAsync)));
        Assert.Equal(1, world.Store.Calls.Count(c => c == nameof(IGatehouseStore.GetResourceServerByIdentifierAsync)));
        Assert.Equal(3, world.Store.Calls.Count(c => c == nameof(IGatehouseStore.FindClientGrantAsync)));

        var off = new ConfigCache(world.Store, world.Time, new ConfigCacheOptions { Seconds = 0 });
        world.Store.Calls.Clear();
        await off.GetClientAsync("app", None);
        await off.GetClientAsync("app", None);
        Assert.Equal(2, world.Store.Calls.Count);
    }
}
