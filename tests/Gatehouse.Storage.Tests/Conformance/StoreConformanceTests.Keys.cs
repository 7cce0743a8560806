using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Signing_keys_list_in_creation_order_and_kid_is_unique()
    {
        var first = await Store.CreateSigningKeyAsync(Key(), Ct);
        var second = await Store.CreateSigningKeyAsync(Key() with { Current = false, Next = true }, Ct);
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateSigningKeyAsync(Key(first.Kid), Ct));

        var keys = await Store.ListSigningKeysAsync(Ct);
        var mine = keys.Where(k => k.Kid == first.Kid || k.Kid == second.Kid).ToList();
        Assert.Equal([first.Kid, second.Kid], mine.Select(k => k.Kid));
        AssertSame(second, mine[1]);
    }

    [Fact]
    public async Task Signing_key_rotation_updates_optimistically()
    {
        var key = await Store.CreateSigningKeyAsync(Key(), Ct);
        var revoked = await Store.UpdateSigningKeyAsync(key with { Current = false, RevokedAt = T0.AddDays(1), PublishUntil = T0.AddDays(2) }, Ct);
        Assert.Equal(2, revoked.Version);
        AssertSame(revoked, (await Store.ListSigningKeysAsync(Ct)).Single(k => k.Kid == key.Kid));
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateSigningKeyAsync(key with { Next = true }, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateSigningKeyAsync(Key() with { Version = 1 }, Ct));
    }
}
