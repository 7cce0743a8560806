using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    // The only test that touches attack-protection settings, so it may assume none exist yet.
    [Fact]
    public async Task Protection_settings_are_one_row_per_kind_created_at_version_zero_then_updated_optimistically()
    {
        Assert.Null(await Store.GetProtectionSettingsAsync("brute-force-protection", Ct));
        var draft = new ProtectionSettings("brute-force-protection", Json("""{"enabled":true,"shields":["block"],"allowlist":["10.0.0.0/8"],"mode":"count_per_identifier","max_attempts":3}"""), 0);
        await AssertStoreError(StoreError.NotFound, () => Store.SaveProtectionSettingsAsync(draft with { Version = 2 }, Ct));

        var created = await Store.SaveProtectionSettingsAsync(draft, Ct);
        Assert.Equal(1, created.Version);
        AssertSame(created, await Store.GetProtectionSettingsAsync("brute-force-protection", Ct));
        await AssertStoreError(StoreError.Conflict, () => Store.SaveProtectionSettingsAsync(draft, Ct));

        var other = await Store.SaveProtectionSettingsAsync(new ProtectionSettings("suspicious-ip-throttling", Json("""{"enabled":false}"""), 0), Ct);
        Assert.Equal(1, other.Version);
        Assert.Null(await Store.GetProtectionSettingsAsync("breached-password-detection", Ct));

        var updated = await Store.SaveProtectionSettingsAsync(created with { Value = Json("""{"enabled":false,"max_attempts":100}""") }, Ct);
        Assert.Equal(2, updated.Version);
        await AssertStoreError(StoreError.Conflict, () => Store.SaveProtectionSettingsAsync(created with { Value = Json("""{"stale":true}""") }, Ct));
        AssertSame(updated, await Store.GetProtectionSettingsAsync("brute-force-protection", Ct));
        AssertSame(other, await Store.GetProtectionSettingsAsync("suspicious-ip-throttling", Ct));
    }
}
