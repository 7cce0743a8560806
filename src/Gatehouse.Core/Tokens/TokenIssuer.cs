using System.Text.Json;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Users;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Core.Tokens;

public sealed record IssuedTokens(string AccessToken, string? IdToken, int ExpiresIn);

/// <summary>Mints RS256 access tokens and id_tokens with Auth0's claims (https://auth0.com/docs/secure/tokens; RFC 9068 for the access token).</summary>
public sealed class TokenIssuer(SigningKeyService keys, TenantIssuer issuer, TimeProvider time, TokenOptions options)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public async Task<IssuedTokens> IssueAsync(TokenGrant grant, Client client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(client);
        var ring = await keys.GetRingAsync(ct);
        var now = time.GetUtcNow();
        var accessToken = Sign(ring.Current, now, grant.AccessTokenLifetimeSeconds, AccessTokenClaims(grant, client),
            grant.Rfc9068Profile ? "at+jwt" : null);
        string? idToken = null;
        if (grant.HasScope("openid") && grant.User is { } user)
        {
            var claims = ProfileClaims.For(user, grant.Scopes);
            claims["iss"] = issuer.Issuer;
            claims["sub"] = user.UserId;
            claims["aud"] = client.ClientId;
            if (grant.Nonce is { } nonce)
                claims["nonce"] = nonce;
            if (grant.AuthTime is { } authTime)
                claims["auth_time"] = authTime.ToUnixTimeSeconds();
            if (grant.SessionId is { } sid)
                claims["sid"] = sid;
            AddCustom(claims, grant.IdTokenClaims);
            idToken = Sign(ring.Current, now, IdTokenLifetime(client), claims);
        }
        return new IssuedTokens(accessToken, idToken, grant.AccessTokenLifetimeSeconds);
    }

    private Dictionary<string, object> AccessTokenClaims(TokenGrant grant, Client client)
    {
        var userinfo = issuer.UserinfoAudience;
        object audience = grant.Audience != userinfo && grant.HasScope("openid")
            ? new[] { grant.Audience, userinfo }
            : grant.Audience;
        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["iss"] = issuer.Issuer,
            ["sub"] = grant.Subject,
            ["aud"] = audience,
            ["scope"] = string.Join(' ', grant.Scopes),
        };
        if (grant.Rfc9068Profile)
        {
            claims["client_id"] = client.ClientId;
            claims["jti"] = Guid.NewGuid().ToString("N");
        }
        else
        {
            claims["azp"] = client.ClientId;
            if (grant.GrantTypeClaim is { } gty)
                claims["gty"] = gty;
        }
        if (grant.Permissions is { } permissions)
            claims["permissions"] = permissions.ToArray();
        AddCustom(claims, grant.AccessTokenClaims);
        return claims;
    }

    /// <summary>Custom claims are namespaced URLs, so they never meet a registered claim; should one, the registered claim stays.</summary>
    private static void AddCustom(Dictionary<string, object> claims, IReadOnlyDictionary<string, object>? custom)
    {
        foreach (var (name, value) in custom ?? new Dictionary<string, object>())
            claims.TryAdd(name, value);
    }

    private string Sign(SigningKeyMaterial key, DateTimeOffset now, int lifetimeSeconds, Dictionary<string, object> claims, string? type = null) =>
        _handler.CreateToken(new SecurityTokenDescriptor
        {
            TokenType = type,
            SigningCredentials = key.Credentials,
            IssuedAt = now.UtcDateTime,
            Expires = now.AddSeconds(lifetimeSeconds).UtcDateTime,
            Claims = claims,
        });

    /// <summary>The client's jwt_configuration.lifetime_in_seconds when set, else the default (36000 s).</summary>
    private int IdTokenLifetime(Client client)
    {
        if (client.Extra is { ValueKind: JsonValueKind.Object } extra
            && extra.TryGetProperty("jwt_configuration", out var jwt) && jwt.ValueKind == JsonValueKind.Object
            && jwt.TryGetProperty("lifetime_in_seconds", out var lifetime) && lifetime.TryGetInt32(out var seconds) && seconds > 0)
            return seconds;
        return options.IdTokenLifetimeSeconds;
    }
}
