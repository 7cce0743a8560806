namespace Gatehouse.Core.Storage;

/// <summary>Refresh tokens, keyed by the token's hash and grouped in rotation families (rules: <see cref="IGatehouseStore"/>).</summary>
public interface IRefreshTokenStore
{
    Task<RefreshToken?> GetRefreshTokenAsync(string tokenHash, CancellationToken ct);
    Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct);
    Task<RefreshToken> UpdateRefreshTokenAsync(RefreshToken token, CancellationToken ct);

    /// <summary>Marks every unrevoked token of the family revoked at <paramref name="at"/>; returns how many.</summary>
    Task<int> RevokeRefreshTokenFamilyAsync(string familyId, DateTimeOffset at, CancellationToken ct);

    /// <summary>Marks every unrevoked token of the user (all families, all clients) revoked at <paramref name="at"/>; returns how many.</summary>
    Task<int> RevokeRefreshTokensOfUserAsync(string userId, DateTimeOffset at, CancellationToken ct);
}
