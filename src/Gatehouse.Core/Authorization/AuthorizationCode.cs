namespace Gatehouse.Core.Authorization;

/// <summary>
/// What a code stands for (RFC 6749 §4.1.2): who signed in, for which client, redirect URI and PKCE challenge.
/// Stored under the hash of the code, never the code itself.
/// </summary>
public sealed record AuthorizationCode(
    string CodeHash,
    AuthorizationRequest Request,
    string UserId,
    string ConnectionName,
    string? SessionId,
    DateTimeOffset AuthTime,
    DateTimeOffset ExpiresAt);

/// <summary>The answer to a redemption: the code the first time, and the replay flag after (RFC 6749 §4.1.2: revoke what it issued).</summary>
public sealed record CodeRedemption(AuthorizationCode? Code, bool Replayed);

/// <summary>Authorization codes: single use, atomic across concurrent redemptions, short-lived.</summary>
public interface IAuthorizationCodeStore
{
    Task SaveAsync(AuthorizationCode code, CancellationToken ct);

    /// <summary>
    /// Marks the code used and returns it, exactly once. A second redemption returns <c>Replayed</c> (with the code, so
    /// the caller can revoke what the first issued) for as long as the store remembers it; an unknown or expired code
    /// returns neither.
    /// </summary>
    Task<CodeRedemption> RedeemAsync(string codeHash, CancellationToken ct);

    /// <summary>Links the refresh-token family the first redemption issued, so a replay can revoke it.</summary>
    Task RecordIssuedFamilyAsync(string codeHash, string refreshTokenFamilyId, CancellationToken ct);

    /// <summary>The family recorded by <see cref="RecordIssuedFamilyAsync"/>, if any.</summary>
    Task<string?> IssuedFamilyAsync(string codeHash, CancellationToken ct);
}
