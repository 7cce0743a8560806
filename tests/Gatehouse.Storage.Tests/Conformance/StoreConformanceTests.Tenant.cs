using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    // The only test that touches the tenant-settings singleton, so it may assume none exist yet.
    [Fact]
    public async Task Tenant_settings_are_created_at_version_zero_then_updated_optimistically()
    {
        Assert.Null(await Store.GetTenantSettingsAsync(Ct));
        var draft = new TenantSettings("Contoso", "Username-Password-Authentication", "", Json("""{"flags":{"x":true}}"""), 0);
        await AssertStoreError(StoreError.NotFound, () => Store.SaveTenantSettingsAsync(draft with { Version = 3 }, Ct));

        var created = await Store.SaveTenantSettingsAsync(draft, Ct);
        Assert.Equal(1, created.Version);
        AssertSame(created, await Store.GetTenantSettingsAsync(Ct));
        await AssertStoreError(StoreError.Conflict, () => Store.SaveTenantSettingsAsync(draft, Ct));

        var updated = await Store.SaveTenantSettingsAsync(created with { FriendlyName = "Contoso Ltd" }, Ct);
        Assert.Equal(2, updated.Version);
        await AssertStoreError(StoreError.Conflict, () => Store.SaveTenantSettingsAsync(created with { FriendlyName = "stale" }, Ct));
        AssertSame(updated, await Store.GetTenantSettingsAsync(Ct));
    }
}
