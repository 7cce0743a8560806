using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

internal sealed partial class EfGatehouseStore<TContext>
{
    private const string RefreshTokenName = "Refresh token";

    public Task<RefreshToken?> GetRefreshTokenAsync(string tokenHash, CancellationToken ct) =>
        QueryAsync(async db => (await db.RefreshTokens.SingleOrDefaultAsync(t => t.TokenHash == tokenHash, ct))?.ToRecord(), ct);

    public async Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        var created = token with { Version = 1 };
        await InsertAsync(RefreshTokenEntity.From(created), RefreshTokenName, ct);
        return created;
    }

    public async Task<RefreshToken> UpdateRefreshTokenAsync(RefreshToken token, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(token);
        await UpdateAsync(t => t.TokenHash == token.TokenHash, RefreshTokenEntity.From(token), RefreshTokenName, ct);
        return token with { Version = token.Version + 1 };
    }

    /// <summary>One UPDATE; it bumps Version too, so a rotation racing the revocation ends in Conflict.</summary>
    public async Task<int> RevokeRefreshTokenFamilyAsync(string familyId, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        using var entered = await writes.EnterAsync(ct);
        return await db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.RevokedAt, (DateTimeOffset?)at)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
    }

    public async Task<int> RevokeRefreshTokensOfUserAsync(string userId, DateTimeOffset at, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        using var entered = await writes.EnterAsync(ct);
        return await db.RefreshTokens
            .Where(t => t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(t => t.RevokedAt, (DateTimeOffset?)at)
                .SetProperty(t => t.Version, t => t.Version + 1), ct);
    }
}
