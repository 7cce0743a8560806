using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Refresh_token_round_trips_and_its_hash_is_unique()
    {
        var token = await Store.CreateRefreshTokenAsync(Token(Unique("fam_")), Ct);
        AssertSame(token, await Store.GetRefreshTokenAsync(token.TokenHash, Ct));
        Assert.Null(await Store.GetRefreshTokenAsync(Unique("rt_"), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Store.CreateRefreshTokenAsync(Token(Unique("fam_"), token.TokenHash), Ct));
    }

    [Fact]
    public async Task Refresh_token_rotation_is_optimistic_so_only_one_exchange_wins()
    {
        var token = await Store.CreateRefreshTokenAsync(Token(Unique("fam_")), Ct);
        var rotated = await Store.UpdateRefreshTokenAsync(token with { RotatedAt = T0.AddMinutes(5) }, Ct);
        AssertSame(rotated, await Store.GetRefreshTokenAsync(token.TokenHash, Ct));
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateRefreshTokenAsync(token with { RotatedAt = T0.AddMinutes(6) }, Ct));
        await AssertStoreError(StoreError.NotFound, () => Store.UpdateRefreshTokenAsync(Token(Unique("fam_")) with { Version = 1 }, Ct));
    }

    [Fact]
    public async Task Revoking_a_family_revokes_only_its_live_tokens_and_bumps_their_version()
    {
        var family = Unique("fam_");
        var live1 = await Store.CreateRefreshTokenAsync(Token(family), Ct);
        var live2 = await Store.CreateRefreshTokenAsync(Token(family), Ct);
        var alreadyRevoked = await Store.CreateRefreshTokenAsync(Token(family) with { RevokedAt = T0.AddHours(1) }, Ct);
        var stranger = await Store.CreateRefreshTokenAsync(Token(Unique("fam_")), Ct);
        var at = T0.AddDays(1).AddTicks(3);

        Assert.Equal(2, await Store.RevokeRefreshTokenFamilyAsync(family, at, Ct));

        foreach (var hash in new[] { live1.TokenHash, live2.TokenHash })
        {
            var revoked = (await Store.GetRefreshTokenAsync(hash, Ct))!;
            Assert.Equal(at, revoked.RevokedAt);
            Assert.Equal(2, revoked.Version);
        }
        Assert.Equal(T0.AddHours(1), (await Store.GetRefreshTokenAsync(alreadyRevoked.TokenHash, Ct))!.RevokedAt);
        Assert.Null((await Store.GetRefreshTokenAsync(stranger.TokenHash, Ct))!.RevokedAt);
        // A rotation that read the token before the revocation must not undo it.
        await AssertStoreError(StoreError.Conflict, () => Store.UpdateRefreshTokenAsync(live1 with { RotatedAt = at }, Ct));
        Assert.Equal(0, await Store.RevokeRefreshTokenFamilyAsync(family, at.AddDays(1), Ct));
    }
}
