using Gatehouse.Core.Admin;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

public sealed class SigningKeyAdminTests : IDisposable
{
    private static readonly AdminActor Administrator = AdminActor.Administrator("adm_1", "admin@example.com");
    private readonly TestWorld _world = new();
    private readonly SigningKeyAdmin _admin;

    public SigningKeyAdminTests() => _admin = new SigningKeyAdmin(_world.Store, _world.Keys, _world.Options, new AdminAudit(_world.Audit));

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task The_key_in_use_is_never_revoked_on_its_own()
    {
        var current = Assert.Single(_world.Store.SigningKeys, k => k.Current);

        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.RevokeAsync(Administrator, current.Kid, default));

        Assert.Equal((AdminRefusal.Invalid, "invalid_request"), (refused.Refusal, refused.ErrorCode));
        Assert.Equal("The current signing key cannot be revoked: rotate the signing key first, then revoke the previous one.", refused.Message);
        Assert.Null(Assert.Single(_world.Store.SigningKeys, k => k.Kid == current.Kid).RevokedAt);
        Assert.Empty(_world.Writes());
    }

    [Fact]
    public async Task An_unknown_kid_is_not_found()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.RevokeAsync(Administrator, "no-such-kid", default));

        Assert.Equal((AdminRefusal.NotFound, "The signing key does not exist.", "inexistent_signing_key"), (refused.Refusal, refused.Message, refused.ErrorCode));
    }

    [Fact]
    public async Task Rotation_keeps_the_old_key_published_as_long_as_the_longest_token_lives_then_it_can_be_revoked()
    {
        await _world.Store.CreateResourceServerAsync(new("rs_long", "https://long.test/", "Long", [], "RS256", 200_000, 7200, false, true, false, null, 0), default);
        var previous = Assert.Single(_world.Store.SigningKeys, k => k.Current);

        var rotated = await _admin.RotateAsync(Administrator, default);

        Assert.NotEqual(previous.Kid, rotated.Kid);
        var outgoing = Assert.Single(_world.Store.SigningKeys, k => k.Kid == previous.Kid);
        Assert.Equal(_world.Time.GetUtcNow() + TimeSpan.FromSeconds(200_000), outgoing.PublishUntil);
        var revoked = await _admin.RevokeAsync(Administrator, previous.Kid, default);
        Assert.Equal(_world.Time.GetUtcNow(), revoked.PublishUntil);
        Assert.Equal(["/api/v2/keys/signing/rotate", $"/api/v2/keys/signing/{previous.Kid}/revoke"],
            _world.Writes().Select(e => e.Request().GetProperty("path").GetString()));
    }
}
