using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    /// <summary>The per-node configuration cache (ConfigCache) is cleared by this event: every configuration write raises it.</summary>
    [Fact]
    public async Task Configuration_writes_raise_ConfigurationChanged_and_user_writes_do_not()
    {
        var raised = 0;
        void Count() => Interlocked.Increment(ref raised);
        Store.ConfigurationChanged += Count;
        try
        {
            async Task Expect(int more, Func<Task> write)
            {
                var before = Volatile.Read(ref raised);
                await write();
                Assert.Equal(before + more, Volatile.Read(ref raised));
            }

            var client = Client();
            await Expect(1, () => Store.CreateClientAsync(client, Ct));
            await Expect(1, async () => await Store.UpdateClientAsync((await Store.GetClientAsync(client.ClientId, Ct))! with { Name = "renamed" }, Ct));
            var api = ResourceServer();
            await Expect(1, () => Store.CreateResourceServerAsync(api, Ct));
            var grant = Grant(client.ClientId, api.Identifier);
            await Expect(1, () => Store.CreateClientGrantAsync(grant, Ct));
            await Expect(1, () => Store.DeleteClientGrantAsync(grant.Id, Ct));
            var connection = Connection();
            await Expect(1, () => Store.CreateConnectionAsync(connection, Ct));
            await Expect(0, () => Store.CreateUserAsync(User(connection.Id), Ct));
            await Expect(1, () => Store.DeleteConnectionAsync(connection.Id, Ct));
            await Expect(1, () => Store.DeleteResourceServerAsync(api.Id, Ct));
            await Expect(1, () => Store.DeleteClientAsync(client.ClientId, Ct));
            // A refused write may still have changed nothing, but dropping a cache is always safe.
            await Expect(1, () => Assert.ThrowsAsync<Gatehouse.Core.Storage.StoreException>(() => Store.DeleteClientAsync(client.ClientId, Ct)));
        }
        finally
        {
            Store.ConfigurationChanged -= Count;
        }
    }
}
