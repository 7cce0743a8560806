using System.Security.Cryptography.X509Certificates;
using Gatehouse.Core.Security;
using Gatehouse.Core.Tests.Fakes;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Tests;

public class SigningKeyTests
{
    [Fact]
    public async Task First_start_creates_one_rsa_2048_key_stored_encrypted_with_a_certificate()
    {
        using var world = new TestWorld();
        var key = Assert.Single(world.Store.SigningKeys, k => k.Current);
        Assert.False(key.Next);
        Assert.StartsWith("v1.", key.PrivateKeyProtected, StringComparison.Ordinal);
        Assert.DoesNotContain("PRIVATE", key.PrivateKeyProtected, StringComparison.Ordinal);
        using var certificate = X509Certificate2.CreateFromPem(key.CertificatePem);
        Assert.Equal(2048, certificate.GetRSAPublicKey()!.KeySize);

        var jwk = (await world.Keys.GetRingAsync(CancellationToken.None)).Current.Jwk;
        Assert.Equal(("RSA", "sig", "RS256", key.Kid, "AQAB"), (jwk.Kty, jwk.Use, jwk.Alg, jwk.Kid, jwk.E));
        Assert.Equal(Base64Url.Encode(certificate.GetCertHash()), jwk.X5t);
        Assert.Equal(Convert.ToBase64String(certificate.RawData), Assert.Single(jwk.X5c));
    }

    [Fact]
    public async Task First_start_also_publishes_a_next_key_that_does_not_sign()
    {
        using var world = new TestWorld();
        var next = Assert.Single(world.Store.SigningKeys, k => k.Next);
        Assert.False(next.Current);
        var ring = await world.Keys.GetRingAsync(CancellationToken.None);
        Assert.NotEqual(next.Kid, ring.Current.Kid);
        Assert.Contains(next.Kid, ring.PublishedAt(world.Time.GetUtcNow()).Select(k => k.Kid));

        // A second start (or a second node) finds both and creates nothing.
        await world.Keys.InitializeAsync(CancellationToken.None);
        Assert.Equal(2, world.Store.SigningKeys.Count);
    }

    [Fact]
    public async Task A_rotation_on_one_node_signs_with_a_key_the_other_nodes_already_publish()
    {
        using var world = new TestWorld();
        using var otherNode = new SigningKeyService(world.Store, world.Protector, world.Time, world.Options);
        await otherNode.InitializeAsync(CancellationToken.None);
        var before = await otherNode.GetRingAsync(CancellationToken.None);

        var rotated = await world.Keys.RotateAsync(TimeSpan.FromHours(10), CancellationToken.None);

        // The other node has not re-read its ring (no signal, timer not expired), yet its JWKS has the new signer.
        var stale = await otherNode.GetRingAsync(CancellationToken.None);
        Assert.Same(before, stale);
        Assert.Contains(rotated.Kid, stale.PublishedAt(world.Time.GetUtcNow()).Select(k => k.Kid));
        Assert.Single(world.Store.SigningKeys, k => k.Next && k.Kid != rotated.Kid);
    }

    [Fact]
    public async Task Another_nodes_key_change_is_read_on_the_next_request_not_after_the_timer()
    {
        using var world = new TestWorld();
        using var otherNode = new SigningKeyService(world.Store, world.Protector, world.Time, world.Options);
        await otherNode.InitializeAsync(CancellationToken.None);
        var old = (await world.Keys.GetRingAsync(CancellationToken.None)).Current;
        var rotated = await otherNode.RotateAsync(TimeSpan.FromHours(10), CancellationToken.None);
        await otherNode.RevokeAsync(world.Store.SigningKeys.Single(k => k.Kid == old.Kid), CancellationToken.None);
        Assert.Equal(old.Kid, (await world.Keys.GetRingAsync(CancellationToken.None)).Current.Kid); // no signal yet

        world.Store.TellSigningKeysChanged();

        var ring = await world.Keys.GetRingAsync(CancellationToken.None);
        Assert.Equal(rotated.Kid, ring.Current.Kid);
        Assert.DoesNotContain(old.Kid, ring.PublishedAt(world.Time.GetUtcNow()).Select(k => k.Kid));
    }

    [Fact]
    public async Task Keys_are_loaded_once_and_cached()
    {
        using var world = new TestWorld();
        world.Store.Calls.Clear();
        var first = await world.Keys.GetRingAsync(CancellationToken.None);
        var second = await world.Keys.GetRingAsync(CancellationToken.None);
        Assert.Same(first, second);
        Assert.DoesNotContain(nameof(InMemoryStore.ListSigningKeysAsync), world.Store.Calls);

        world.Time.Advance(TimeSpan.FromSeconds(world.Options.KeyRingRefreshSeconds + 1));
        var reloaded = await world.Keys.GetRingAsync(CancellationToken.None);
        Assert.NotSame(first, reloaded);
        Assert.Same(first.Current, reloaded.Current); // unchanged keys are not decrypted again
    }

    [Fact]
    public async Task Requests_that_find_the_ring_stale_together_share_one_reload()
    {
        using var world = new TestWorld();
        var first = await world.Keys.GetRingAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromSeconds(world.Options.KeyRingRefreshSeconds + 1));
        world.Store.Calls.Clear();

        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.Store.SigningKeysHeld = release.Task;
        var waiting = Enumerable.Range(0, 20).Select(_ => world.Keys.GetRingAsync(CancellationToken.None).AsTask()).ToList();
        release.SetResult();
        var rings = await Task.WhenAll(waiting);

        Assert.Single(world.Store.Calls, c => c == nameof(InMemoryStore.ListSigningKeysAsync));
        Assert.All(rings, r => Assert.Same(rings[0], r));
        Assert.NotSame(first, rings[0]);
    }

    [Fact]
    public async Task Rotation_keeps_the_old_key_published_until_its_tokens_expired()
    {
        using var world = new TestWorld();
        var oldKid = (await world.Keys.GetRingAsync(CancellationToken.None)).Current.Kid;

        var rotated = await world.Keys.RotateAsync(TimeSpan.FromHours(10), CancellationToken.None);
        var ring = await world.Keys.GetRingAsync(CancellationToken.None);
        Assert.Equal(rotated.Kid, ring.Current.Kid);
        var next = world.Store.SigningKeys.Single(k => k.Next).Kid;
        Assert.Equal([rotated.Kid, oldKid, next], ring.PublishedAt(world.Time.GetUtcNow()).Select(k => k.Kid));

        world.Time.Advance(TimeSpan.FromHours(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(3, (await world.Keys.GetRingAsync(CancellationToken.None)).PublishedAt(world.Time.GetUtcNow()).Count);
        world.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal([rotated.Kid, next], (await world.Keys.GetRingAsync(CancellationToken.None)).PublishedAt(world.Time.GetUtcNow()).Select(k => k.Kid));
    }

    [Fact]
    public async Task Tokens_signed_before_rotation_validate_inside_the_window_and_not_after()
    {
        using var world = new TestWorld();
        var grant = new TokenGrant("client-credentials", "c@clients", null, "https://api/", 3600 * 20, ["read:a"], true, false, null);
        var client = world.AddClient("c");
        var before = await world.Tokens.IssueAsync(grant, client, CancellationToken.None);

        await world.Keys.RotateAsync(TimeSpan.FromHours(10), CancellationToken.None);
        var after = await world.Tokens.IssueAsync(grant, client, CancellationToken.None);
        Assert.NotNull((await world.Validator.ValidateAsync(before.AccessToken, "https://api/", CancellationToken.None)).Token);
        Assert.NotNull((await world.Validator.ValidateAsync(after.AccessToken, "https://api/", CancellationToken.None)).Token);

        world.Time.Advance(TimeSpan.FromHours(11));
        var check = await world.Validator.ValidateAsync(before.AccessToken, "https://api/", CancellationToken.None);
        Assert.Null(check.Token);
        Assert.Equal("Invalid signature received for JSON Web Token validation", check.Error);
        Assert.NotNull((await world.Validator.ValidateAsync(after.AccessToken, "https://api/", CancellationToken.None)).Token);
    }
}
