using Gatehouse.Core.Admin;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

public sealed class TenantSettingsAdminTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly TenantSettingsAdmin _admin;

    public TenantSettingsAdminTests() => _admin = new TenantSettingsAdmin(_world.Store, new AdminAudit(_world.Audit));

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task The_default_directory_must_name_a_connection()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() =>
            _admin.UpdateAsync(AdminActor.System("demo"), new TenantSettingsChanges { DefaultDirectory = "missing", FriendlyName = "Changed" }, default));

        Assert.Equal("Payload validation error: 'No connection named missing' on property default_directory.", refused.Message);
        Assert.Equal("default_directory", Assert.Single(refused.Problems).Field);
        Assert.Equal("Test", (await _admin.GetAsync(default)).FriendlyName);
        Assert.Empty(_world.Writes());
    }

    [Fact]
    public async Task A_named_connection_is_set_and_an_empty_name_clears_it_each_audited()
    {
        _world.AddConnection("db", "auth0");

        Assert.Equal("db", (await _admin.UpdateAsync(AdminActor.System("demo"), new TenantSettingsChanges { DefaultDirectory = "db" }, default)).DefaultDirectory);
        _world.AssertOneSystemWrite("patch", "/api/v2/tenants/settings", "demo");
        var cleared = await _admin.UpdateAsync(AdminActor.System("demo"), new TenantSettingsChanges { DefaultDirectory = "" }, default);

        Assert.Equal("", cleared.DefaultDirectory);
        Assert.Equal("Test", cleared.FriendlyName);
        Assert.Equal(2, _world.Writes().Count);
    }
}
