using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

public sealed class BlockAdminTests : IDisposable
{
    private readonly TestWorld _world = new();
    private readonly BlockAdmin _admin;

    public BlockAdminTests() => _admin = new BlockAdmin(_world.BruteForce, _world.Throttle, new AdminAudit(_world.Audit));

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task An_address_that_is_not_an_ip_is_refused_and_nothing_is_written()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.LiftIpAsync(AdminActor.System("test"), "example.com", default));

        Assert.Equal((AdminRefusal.Invalid, "invalid_uri"), (refused.Refusal, refused.ErrorCode));
        Assert.Equal("Invalid IP address: expected an IPv4 or IPv6 address.", refused.Message);
        Assert.Empty(_world.Writes());
    }

    [Fact]
    public async Task Lifting_a_throttled_address_gives_it_a_full_bucket_and_one_event_naming_its_canonical_form()
    {
        const string ip = "2001:DB8::7";
        while (!await _world.Throttle.IsBlockedAsync(BlockAdmin.CanonicalIp(ip), default))
            await _world.Throttle.RecordFailureAsync(BlockAdmin.CanonicalIp(ip), default);

        await _admin.LiftIpAsync(AdminActor.System("test"), ip, default);

        Assert.False(await _world.Throttle.IsBlockedAsync(BlockAdmin.CanonicalIp(ip), default));
        _world.AssertOneSystemWrite("delete", "/api/v2/anomaly/blocks/ips/2001:db8::7", "test");
    }

    [Fact]
    public void A_users_identifiers_are_its_email_username_phone_and_upn_normalized_once_each()
    {
        var user = new User("waad|1", "con_1", "Someone@Example.com", false, "someone@example.com", null, null, null, null, null, null, null, null, [],
            null, null, JsonSerializer.SerializeToElement(new { upn = "Someone@Contoso.com" }), false, default, default, null, null, 0, null, 0);

        Assert.Equal(["someone@example.com", "someone@contoso.com"], BlockAdmin.IdentifiersOf(user));
    }
}
