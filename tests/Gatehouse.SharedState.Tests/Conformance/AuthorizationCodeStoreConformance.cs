using Gatehouse.Core.Authorization;
using Gatehouse.Core.Security;
using Gatehouse.SharedState.Tests.Backends;

namespace Gatehouse.SharedState.Tests.Conformance;

/// <summary>What every <see cref="IAuthorizationCodeStore"/> does: single use across nodes, replay recognised, expiry.</summary>
public abstract class AuthorizationCodeStoreConformance(ISharedStateBackend backend)
{
    private readonly IAuthorizationCodeStore codes = backend.Node().Codes;

    internal static AuthorizationCode NewCode(TimeSpan lifetime) => new(
        Secrets.HashToken(Secrets.RandomToken(32)),
        new AuthorizationRequest("client1", "https://app.example/cb", "query", "xyz", "n-0S6", "openid profile", "https://api.example", "Username-Password-Authentication",
            "pat@example.com", null, 300, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM", "S256")
        {
            MfaContinuation = new MfaBinding("client1", "con_1", "waad", "pat@example.com", "tid/oid", null, "openid", DateTimeOffset.UtcNow.AddMinutes(5)),
        },
        "auth0|pat", "Username-Password-Authentication", "sid-1", DateTimeOffset.UtcNow.AddSeconds(-1), DateTimeOffset.UtcNow + lifetime);

    [Fact]
    public async Task A_code_is_redeemed_once_then_recognised_as_a_replay()
    {
        var code = NewCode(TimeSpan.FromMinutes(1));
        await codes.SaveAsync(code, default);
        var first = await codes.RedeemAsync(code.CodeHash, default);
        Assert.Equal(code, first.Code);
        Assert.False(first.Replayed);
        var second = await backend.Node().Codes.RedeemAsync(code.CodeHash, default);
        Assert.True(second.Replayed);
        Assert.Equal(code, second.Code);
    }

    [Fact]
    public async Task An_unknown_code_redeems_to_nothing()
    {
        var redemption = await codes.RedeemAsync(Secrets.HashToken("never issued"), default);
        Assert.Null(redemption.Code);
        Assert.False(redemption.Replayed);
    }

    [Fact]
    public async Task An_expired_code_redeems_to_nothing()
    {
        var code = NewCode(TimeSpan.FromMilliseconds(200));
        await codes.SaveAsync(code, default);
        await Task.Delay(TimeSpan.FromMilliseconds(1200));
        var redemption = await codes.RedeemAsync(code.CodeHash, default);
        Assert.Null(redemption.Code);
        Assert.False(redemption.Replayed);
    }

    [Fact]
    public async Task The_family_a_redemption_issued_is_remembered_for_a_replay()
    {
        var code = NewCode(TimeSpan.FromMinutes(1));
        await codes.SaveAsync(code, default);
        await codes.RedeemAsync(code.CodeHash, default);
        await codes.RecordIssuedFamilyAsync(code.CodeHash, "fam_1", default);
        Assert.Equal("fam_1", await backend.Node().Codes.IssuedFamilyAsync(code.CodeHash, default));
    }

    [Fact]
    public async Task An_unknown_code_has_no_family_and_recording_one_keeps_nothing()
    {
        var hash = Secrets.HashToken("never issued " + Guid.NewGuid());
        await codes.RecordIssuedFamilyAsync(hash, "fam_1", default);
        Assert.Null(await codes.IssuedFamilyAsync(hash, default));
        Assert.Null((await codes.RedeemAsync(hash, default)).Code);
    }

    [Fact]
    public async Task A_code_redeemed_concurrently_on_two_nodes_is_redeemed_exactly_once()
    {
        var code = NewCode(TimeSpan.FromMinutes(1));
        await codes.SaveAsync(code, default);
        var nodes = new[] { backend.Node().Codes, backend.Node().Codes };
        var redemptions = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            Task.Run(async () => await nodes[i % 2].RedeemAsync(code.CodeHash, default))));
        Assert.Single(redemptions, r => r.Code is not null && !r.Replayed);
        Assert.All(redemptions, r => Assert.Equal(code, r.Code));
    }
}

public sealed class InMemoryAuthorizationCodeStoreTests(InMemoryBackend backend) : AuthorizationCodeStoreConformance(backend), IClassFixture<InMemoryBackend>;

public sealed class RedisAuthorizationCodeStoreTests(RedisBackend backend) : AuthorizationCodeStoreConformance(backend), IClassFixture<RedisBackend>;
