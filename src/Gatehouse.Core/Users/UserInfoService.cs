using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Users;

public sealed record UserInfoResult(IReadOnlyDictionary<string, object>? Claims, string? Error);

/// <summary>GET/POST /userinfo: the standard claims of the token's user, for the token's scopes.</summary>
public sealed class UserInfoService(AccessTokenValidator validator, IUserStore store, TenantIssuer issuer)
{
    public async Task<UserInfoResult> GetAsync(string? accessToken, CancellationToken ct)
    {
        var check = await validator.ValidateAsync(accessToken, issuer.UserinfoAudience, ct);
        return await GetAsync(check, ct);
    }

    /// <summary>The same for a token the caller has already checked against the userinfo audience.</summary>
    public async Task<UserInfoResult> GetAsync(AccessTokenCheck check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        if (check.Token is not { } token)
            return new UserInfoResult(null, check.Error);
        if (!token.Scopes.Contains("openid"))
            return new UserInfoResult(null, "The access token was not granted the openid scope");
        var user = await store.GetUserAsync(token.Subject, ct);
        if (user is null || user.Blocked || IssuedBefore(token, user))
            return new UserInfoResult(null, "Invalid token");
        var claims = ProfileClaims.For(user, token.Scopes.ToList());
        claims["sub"] = user.UserId;
        return new UserInfoResult(claims, null);
    }

    /// <summary>
    /// A token issued before its user was created belongs to a deleted user of the same id (POST /users takes a user_id).
    /// iat has whole seconds, so the creation time is cut to its second (a token of that very second still passes).
    /// </summary>
    private static bool IssuedBefore(ValidatedAccessToken token, User user) =>
        token.IssuedAt is { } iat && iat.ToUnixTimeSeconds() < user.CreatedAt.ToUnixTimeSeconds();
}
