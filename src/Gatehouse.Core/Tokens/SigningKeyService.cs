using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tokens;

/// <summary>
/// Owns the RS256 signing keys. Keys are read from the store once and cached as a <see cref="SigningKeyRing"/>;
/// the ring is re-read after <see cref="TokenOptions.KeyRingRefreshSeconds"/>, at once when another node sharing the
/// store rotated or revoked a key (<see cref="ISigningKeyStore.SigningKeysChanged"/>), and right after a rotation or
/// revocation here. Besides the current key there is always a next key, published in JWKS but not signing (Auth0's
/// "next"): a rotation promotes it, so the key a node starts signing with has been in every node's JWKS since the
/// previous rotation, even on a node that has not re-read its ring yet. The previous key stays published until every
/// token it signed has expired, then drops out of JWKS and validation. Revocation drops a rotated-out key at once.
/// </summary>
public sealed class SigningKeyService : IDisposable
{
    private readonly ISigningKeyStore store;
    private readonly ISecretProtector protector;
    private readonly TimeProvider time;
    private readonly TokenOptions options;
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly Dictionary<(string Kid, long Version), SigningKeyMaterial> _loaded = [];
    private volatile SigningKeyRing? _ring;
    private long _changes; // counts other nodes' key changes; a ring read before the latest one is stale

    public SigningKeyService(ISigningKeyStore store, ISecretProtector protector, TimeProvider time, TokenOptions options)
    {
        this.store = store;
        this.protector = protector;
        this.time = time;
        this.options = options;
        store.SigningKeysChanged += () => Interlocked.Increment(ref _changes);
    }

    /// <summary>Creates the first key and the next one when there are none, and loads the ring. Call once at start.</summary>
    public async Task InitializeAsync(CancellationToken ct)
    {
        var keys = await store.ListSigningKeysAsync(ct);
        if (!keys.Any(k => k.Current))
        {
            try
            {
                await store.CreateSigningKeyAsync(SigningKeyMaterial.Generate(protector, time.GetUtcNow()), ct);
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
            {
                // Another node created it first; its key is as good as ours.
            }
        }
        if (FindNext(keys) is null)
            await CreateNextAsync(ct);
        await ReloadAsync(ct);
    }

    /// <summary>True once the key ring has been loaded (the readiness check asks).</summary>
    public bool IsLoaded => _ring is not null;

    public ValueTask<SigningKeyRing> GetRingAsync(CancellationToken ct)
    {
        var ring = _ring;
        if (ring is not null && ring.Changes == Interlocked.Read(ref _changes)
            && time.GetUtcNow() - ring.LoadedAt < TimeSpan.FromSeconds(options.KeyRingRefreshSeconds))
            return ValueTask.FromResult(ring);
        return new ValueTask<SigningKeyRing>(RefreshAsync(ring, ct));
    }

    /// <summary>
    /// One reload for all the requests that found the ring stale at once: those that queued behind it take its result
    /// instead of each reading the store again in turn (a convoy that held every login when the ring expired).
    /// </summary>
    private async Task<SigningKeyRing> RefreshAsync(SigningKeyRing? stale, CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        var ring = _ring;
        _reload.Release();
        return ring is not null && ring != stale ? ring : await ReloadAsync(ct);
    }

    /// <summary>
    /// Makes the next key current and publishes a new next key. The old current key stays published for
    /// <paramref name="publishWindow"/>. A store without a next key (made before next keys existed) gets a fresh current key.
    /// </summary>
    public async Task<SigningKeyMaterial> RotateAsync(TimeSpan publishWindow, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var keys = await store.ListSigningKeysAsync(ct);
        foreach (var key in keys.Where(k => k.Current))
            await store.UpdateSigningKeyAsync(key with { Current = false, RevokedAt = now, PublishUntil = now + publishWindow }, ct);
        var promoted = FindNext(keys) is { } next
            ? await store.UpdateSigningKeyAsync(next with { Current = true, Next = false, CreatedAt = now }, ct)
            : await store.CreateSigningKeyAsync(SigningKeyMaterial.Generate(protector, now), ct);
        await CreateNextAsync(ct);
        var ring = await ReloadAsync(ct);
        return ring.All.First(k => k.Kid == promoted.Kid);
    }

    /// <summary>
    /// Revokes a key that is no longer current: it leaves JWKS and token validation at once on this node (on other nodes
    /// when their ring is next read, within <see cref="TokenOptions.KeyRingRefreshSeconds"/>). Revoking a revoked key
    /// changes nothing. The current key must be rotated out first, as in Auth0.
    /// </summary>
    public async Task<SigningKey> RevokeAsync(SigningKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Current)
            throw new ArgumentException("The current signing key cannot be revoked; rotate it out first.", nameof(key));
        var now = time.GetUtcNow();
        if (key.PublishUntil is not { } until || until > now || key.Next)
            key = await store.UpdateSigningKeyAsync(key with { Next = false, RevokedAt = key.RevokedAt ?? now, PublishUntil = now }, ct);
        await ReloadAsync(ct);
        return key;
    }

    public void Dispose() => _reload.Dispose();

    /// <summary>The oldest key waiting to become current (the one every node has published longest).</summary>
    private static SigningKey? FindNext(IEnumerable<SigningKey> keys) =>
        keys.Where(k => k.Next && !k.Current && k.RevokedAt is null).MinBy(k => k.CreatedAt);

    private Task<SigningKey> CreateNextAsync(CancellationToken ct) =>
        store.CreateSigningKeyAsync(SigningKeyMaterial.Generate(protector, time.GetUtcNow()) with { Current = false, Next = true }, ct);

    private async Task<SigningKeyRing> ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
            // Read before the store: a change told while the store is read leaves this ring stale, so it is read again.
            var changes = Interlocked.Read(ref _changes);
            var records = await store.ListSigningKeysAsync(ct);
            var now = time.GetUtcNow();
            var materials = new List<SigningKeyMaterial>();
            foreach (var record in records)
            {
                // Keys past their window are never needed again; skip decrypting them.
                if (!record.Current && record.PublishUntil is { } until && until <= now)
                    continue;
                if (!_loaded.TryGetValue((record.Kid, record.Version), out var material))
                {
                    material = SigningKeyMaterial.Load(record, protector);
                    _loaded[(record.Kid, record.Version)] = material;
                }
                materials.Add(material);
            }
            // Mid-rotation on another node the old key is already rotated out and the next not yet promoted: the
            // outgoing key, still published, signs until the ring is read again.
            var current = materials.Where(m => m.Record.Current).MaxBy(m => m.Record.CreatedAt)
                ?? materials.Where(m => m.Record.RevokedAt is not null && !m.Record.Next).MaxBy(m => m.Record.RevokedAt)
                ?? throw new InvalidOperationException("There is no current signing key; call InitializeAsync first.");
            var ring = new SigningKeyRing(current, materials, now) { Changes = changes };
            _ring = ring;
            return ring;
        }
        finally
        {
            _reload.Release();
        }
    }
}
