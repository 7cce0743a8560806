namespace Gatehouse.Core.Storage;

/// <summary>The tenant's token signing keys, keyed by kid, listed oldest first (rules: <see cref="IGatehouseStore"/>).</summary>
public interface ISigningKeyStore
{
    Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct);
    Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct);
    Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct);

    /// <summary>
    /// Raised when another node sharing this store rotated or revoked a key, so <see cref="Tokens.SigningKeyService"/>
    /// re-reads its ring at once instead of after its refresh interval. A single-node backend keeps the default (never raised).
    /// </summary>
    event Action? SigningKeysChanged { add { } remove { } }
}
