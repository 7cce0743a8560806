using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    public Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct) =>
        QueryAsync<IReadOnlyList<SigningKey>>(
            async db => (await db.SigningKeys.OrderBy(k => k.Seq).ToListAsync(ct)).Select(k => k.ToRecord()).ToList(), ct);

    public async Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        var created = key with { Version = 1 };
        await InsertAsync(SigningKeyEntity.From(created), $"Signing key '{key.Kid}'", ct);
        return created;
    }

    public async Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(key);
        await UpdateAsync(k => k.Kid == key.Kid, SigningKeyEntity.From(key), $"Signing key '{key.Kid}'", ct);
        return key with { Version = key.Version + 1 };
    }
}
