using Gatehouse.Core.Authorization;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Core.Tests;

/// <summary>The browser sign-in's short-lived state: codes single use with replay memory, bounded, expiring; PKCE S256.</summary>
public class AuthorizationStateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly AuthorizationRequest Request = new("client", "https://app.example/cb", "query", "s", "n", "openid", null, null, null, null, null, null, null);

    private static AuthorizationCode Code(string hash, FakeTimeProvider time) =>
        new(hash, Request, "auth0|u", "db", "sid", time.GetUtcNow(), time.GetUtcNow().AddSeconds(60));

    [Fact]
    public void Pkce_s256_matches_an_independent_computation_and_refuses_plain()
    {
        // Expected value computed independently: printf VERIFIER | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' (without '=').
        const string verifier = "dBjftJeZ4CVP-mJ92K9qnyxrxuYUnkQoKzGxybKcW7E";
        const string challenge = "1HEiKr_hGRvh_de16MknXKvIvHQPvL6veNPLnUmFHjo";
        Assert.Equal(challenge, Pkce.Challenge(verifier));
        Assert.True(Pkce.Verify(verifier, challenge));
        Assert.False(Pkce.Verify(challenge, challenge)); // plain: the challenge itself is no verifier
        Assert.False(Pkce.Verify(null, challenge));
        Assert.False(Pkce.Verify("short", Pkce.Challenge("short")));
        Assert.False(Pkce.IsValidChallenge("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-c="));
    }

    [Fact]
    public async Task A_code_is_redeemed_once_then_recognised_as_a_replay_with_its_family()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryAuthorizationCodeStore(new AuthorizationOptions(), time);
        await store.SaveAsync(Code("h1", time), default);

        var first = await store.RedeemAsync("h1", default);
        Assert.False(first.Replayed);
        Assert.Equal("auth0|u", first.Code!.UserId);
        await store.RecordIssuedFamilyAsync("h1", "family-1", default);

        time.Advance(TimeSpan.FromSeconds(300)); // past the code's 60 s, within the replay memory
        var replay = await store.RedeemAsync("h1", default);
        Assert.True(replay.Replayed);
        Assert.Equal("family-1", await store.IssuedFamilyAsync("h1", default));

        time.Advance(TimeSpan.FromSeconds(601));
        Assert.Equal(new CodeRedemption(null, false), await store.RedeemAsync("h1", default));
    }

    [Fact]
    public async Task An_expired_or_unknown_code_redeems_to_nothing()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryAuthorizationCodeStore(new AuthorizationOptions(), time);
        await store.SaveAsync(Code("h2", time), default);
        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(new CodeRedemption(null, false), await store.RedeemAsync("h2", default));
        Assert.Equal(new CodeRedemption(null, false), await store.RedeemAsync("never-issued", default));
    }

    [Fact]
    public async Task Racing_redemptions_give_the_code_to_exactly_one()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryAuthorizationCodeStore(new AuthorizationOptions(), time);
        await store.SaveAsync(Code("h3", time), default);
        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(() => store.RedeemAsync("h3", default))));
        Assert.Single(results, r => !r.Replayed && r.Code is not null);
        Assert.Equal(31, results.Count(r => r.Replayed));
    }

    [Fact]
    public void The_map_holds_at_most_its_capacity_and_drops_the_oldest_and_the_expired()
    {
        var time = new FakeTimeProvider(Start);
        var map = new ExpiringMap<int>(100, time);
        for (var i = 0; i < 10_000; i++)
            map.Set("k" + i, i, time.GetUtcNow().AddMinutes(15));
        Assert.Equal(100, map.Count);
        Assert.False(map.TryGet("k0", out _));
        Assert.True(map.TryGet("k9999", out var newest));
        Assert.Equal(9999, newest);

        time.Advance(TimeSpan.FromMinutes(16));
        Assert.False(map.TryGet("k9999", out _));
        map.Set("fresh", 1, time.GetUtcNow().AddMinutes(1));
        Assert.Equal(1, map.Count); // the write swept every expired entry
    }

    [Fact]
    public async Task A_transaction_is_found_until_it_expires_and_removed_once()
    {
        var time = new FakeTimeProvider(Start);
        var store = new InMemoryLoginTransactionStore(new AuthorizationOptions(), time);
        await store.SaveAsync(new LoginTransaction("t1", Request, Start, Start.AddMinutes(15)), default);
        Assert.NotNull(await store.FindAsync("t1", default));
        Assert.True(await store.RemoveAsync("t1", default));
        Assert.False(await store.RemoveAsync("t1", default));

        await store.SaveAsync(new LoginTransaction("t2", Request, Start, Start.AddMinutes(15)), default);
        time.Advance(TimeSpan.FromMinutes(15));
        Assert.Null(await store.FindAsync("t2", default));
        Assert.False(await store.RemoveAsync("t2", default));
    }

    [Fact]
    public async Task A_federated_state_is_taken_once()
    {
        var time = new FakeTimeProvider(Start);
        var states = new FederatedStates(new AuthorizationOptions(), time);
        await states.SaveAsync(new FederatedState("st", "t1", "conn", "nonce", "verifier", null, null, Start.AddMinutes(15)), default);
        Assert.Equal("t1", (await states.TakeAsync("st", default))?.TransactionId);
        Assert.Null(await states.TakeAsync("st", default));
    }

    [Fact]
    public void Options_refuse_values_below_one()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new AuthorizationOptions { MaxCodes = 0 }.Validated());
        Assert.Contains("Authorization:MaxCodes", error.Message, StringComparison.Ordinal);
    }
}
