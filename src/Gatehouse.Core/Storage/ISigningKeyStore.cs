namespace Gatehouse.Core.Storage;

/// <summary>The tenant's token signing keys, keyed by kid, listed oldest first (rules: <see cref="IGatehouseStore"/>).</summary>
public interface ISigningKeyStore
{
    Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct);
    Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct);
    Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct);
}
