using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tokens;

/// <summary>
/// Owns the RS256 signing keys. Keys are read from the store once and cached as a <see cref="SigningKeyRing"/>;
/// the ring is re-read only after <see cref="TokenOptions.KeyRingRefreshSeconds"/> (so another node's rotation
/// arrives) or right after a rotation or revocation here. Rotation: a new key becomes current; the previous one stays
/// published until every token it signed has expired, then drops out of JWKS and validation. Revocation drops a
/// rotated-out key at once.
/// </summary>
public sealed class SigningKeyService(ISigningKeyStore store, ISecretProtector protector, TimeProvider time, TokenOptions options) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private readonly Dictionary<(string Kid, long Version), SigningKeyMaterial> _loaded = [];
    private volatile SigningKeyRing? _ring;

    /// <summary>Creates the first key when there is none, and loads the ring. Call once at start.</summary>
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
        await ReloadAsync(ct);
    }

    /// <summary>True once the key ring has been loaded (the readiness check asks).</summary>
    public bool IsLoaded => _ring is not null;

    public ValueTask<SigningKeyRing> GetRingAsync(CancellationToken ct)
    {
        var ring = _ring;
        if (ring is not null && time.GetUtcNow() - ring.LoadedAt < TimeSpan.FromSeconds(options.KeyRingRefreshSeconds))
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

    /// <summary>Makes a new key current. The old current key stays published for <paramref name="publishWindow"/>.</summary>
    public async Task<SigningKeyMaterial> RotateAsync(TimeSpan publishWindow, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        foreach (var key in (await store.ListSigningKeysAsync(ct)).Where(k => k.Current))
            await store.UpdateSigningKeyAsync(key with { Current = false, RevokedAt = now, PublishUntil = now + publishWindow }, ct);
        var created = await store.CreateSigningKeyAsync(SigningKeyMaterial.Generate(protector, now), ct);
        var ring = await ReloadAsync(ct);
        return ring.All.First(k => k.Kid == created.Kid);
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
        if (key.PublishUntil is not { } until || until > now)
            key = await store.UpdateSigningKeyAsync(key with { RevokedAt = key.RevokedAt ?? now, PublishUntil = now }, ct);
        await ReloadAsync(ct);
        return key;
    }

    public void Dispose() => _reload.Dispose();

    private async Task<SigningKeyRing> ReloadAsync(CancellationToken ct)
    {
        await _reload.WaitAsync(ct);
        try
        {
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
            var current = materials.Where(m => m.Record.Current).MaxBy(m => m.Record.CreatedAt)
                ?? throw new InvalidOperationException("There is no current signing key; call InitializeAsync first.");
            var ring = new SigningKeyRing(current, materials, now);
            _ring = ring;
            return ring;
        }
        finally
        {
            _reload.Release();
        }
    }
}
