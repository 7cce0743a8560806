using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tokens;

public enum RefreshRefusal
{
    None,
    Unknown,
    /// <summary>A token already exchanged was presented again: the whole family has been revoked.</summary>
    Reused,
    /// <summary>Presented from another address than the family was issued to, with Tokens:RefreshTokenBindToIp; nothing changed.</summary>
    OtherIp,
}

public sealed record RefreshExchange(RefreshToken? Token, RefreshRefusal Refusal);

/// <summary>
/// Refresh tokens: random values stored only as SHA-256 hashes, in families. Each exchange rotates: the presented
/// token is marked rotated and a successor joins the family (keeping the family's absolute expiry). Presenting a
/// rotated token again is reuse, and revokes every token of the family. A family remembers the IP it was issued to;
/// with <see cref="TokenOptions.RefreshTokenBindToIp"/> a refresh from elsewhere is refused before anything changes.
/// </summary>
public sealed class RefreshTokenService(IRefreshTokenStore store, TimeProvider time, TokenOptions options)
{
    private const string Prefix = "v1.";

    /// <param name="ip">The end user's address; a new family remembers it, a successor keeps its family's.</param>
    public async Task<string> IssueAsync(TokenGrant grant, string clientId, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var now = time.GetUtcNow();
        var raw = Prefix + Secrets.RandomToken(32);
        await store.CreateRefreshTokenAsync(new RefreshToken(
            TokenHash: Secrets.HashToken(raw),
            FamilyId: grant.RotatedFrom?.FamilyId ?? grant.RefreshTokenFamilyId ?? Secrets.RandomToken(16),
            ClientId: clientId,
            UserId: grant.Subject,
            Audience: grant.Audience,
            Scopes: grant.Scopes,
            ConnectionId: grant.Connection?.Id,
            CreatedAt: now,
            ExpiresAt: grant.RotatedFrom?.ExpiresAt ?? now.AddSeconds(grant.RefreshTokenLifetimeSeconds ?? options.RefreshTokenLifetimeSeconds),
            RotatedAt: null,
            RevokedAt: null,
            Version: 0)
        {
            IssuedIp = grant.RotatedFrom is { } family ? family.IssuedIp : ip,
            OriginGrantType = grant.RotatedFrom is { } origin ? origin.OriginGrantType : grant.OriginGrantType,
        }, ct);
        // A replay of the rotated token (on another node, or racing here) may have revoked the family between the
        // rotation and this insert, and so missed the successor: read the presented token again after the insert and
        // revoke the family once more. Either the replay's revocation saw the successor, or this read sees it.
        if (grant.RotatedFrom is { } rotated && (await store.GetRefreshTokenAsync(rotated.TokenHash, ct))?.RevokedAt is not null)
            await store.RevokeRefreshTokenFamilyAsync(rotated.FamilyId, now, ct);
        return raw;
    }

    /// <summary>Validates a presented token for this client and marks it rotated; the caller issues the successor.</summary>
    public async Task<RefreshExchange> ExchangeAsync(string raw, string clientId, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var token = raw.Length <= 512 ? await store.GetRefreshTokenAsync(Secrets.HashToken(raw), ct) : null;
        var now = time.GetUtcNow();
        if (token is null || token.ClientId != clientId || token.RevokedAt is not null || token.ExpiresAt <= now)
            return new RefreshExchange(null, RefreshRefusal.Unknown);
        if (token.RotatedAt is not null)
            return await RevokeFamilyAsync(token, now, ct);
        if (options.RefreshTokenBindToIp && IsFromOtherIp(token, ip))
            return new RefreshExchange(token, RefreshRefusal.OtherIp);
        try
        {
            return new RefreshExchange(await store.UpdateRefreshTokenAsync(token with { RotatedAt = now }, ct), RefreshRefusal.None);
        }
        catch (StoreException e) when (e.Error == StoreError.Conflict)
        {
            // Two exchanges of the same token raced: one of them is a replay.
            return await RevokeFamilyAsync(token, now, ct);
        }
    }

    /// <summary>RFC 7009 revocation by the owning client: the token and its family. False when there was nothing to revoke.</summary>
    public async Task<RefreshToken?> RevokeAsync(string raw, string clientId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var token = raw.Length <= 512 ? await store.GetRefreshTokenAsync(Secrets.HashToken(raw), ct) : null;
        if (token is null || token.ClientId != clientId || token.RevokedAt is not null)
            return null;
        await store.RevokeRefreshTokenFamilyAsync(token.FamilyId, time.GetUtcNow(), ct);
        return token;
    }

    /// <summary>The family knows where it was issued and the request comes from a different client address.</summary>
    public static bool IsFromOtherIp(RefreshToken token, string? ip)
    {
        ArgumentNullException.ThrowIfNull(token);
        return token.IssuedIp is not null && !ClientAddresses.Same(token.IssuedIp, ip);
    }

    private async Task<RefreshExchange> RevokeFamilyAsync(RefreshToken token, DateTimeOffset now, CancellationToken ct)
    {
        await store.RevokeRefreshTokenFamilyAsync(token.FamilyId, now, ct);
        return new RefreshExchange(token, RefreshRefusal.Reused);
    }
}
