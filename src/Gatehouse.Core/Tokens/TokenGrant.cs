using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tokens;

/// <summary>What a grant decided; the pipeline turns it into tokens. Grants never mint tokens themselves.</summary>
public sealed record TokenGrant(
    string? GrantTypeClaim,          // the access token's gty: "password", "client-credentials", "refresh_token"
    string Subject,                  // user_id, or "<client_id>@clients"
    User? User,
    string Audience,                 // the API identifier, or "{issuer}userinfo"
    int AccessTokenLifetimeSeconds,
    IReadOnlyList<string> Scopes,
    bool ReturnScope,                // Auth0 returns `scope` when granted differs from requested
    bool IssueRefreshToken,
    Connection? Connection)
{
    /// <summary>Set by the refresh grant: the new refresh token joins this family and keeps its expiry.</summary>
    public RefreshToken? RotatedFrom { get; init; }

    /// <summary>The grant that starts a refresh-token family (kept by its successors).</summary>
    public string? OriginGrantType { get; init; }

    /// <summary>A new family's absolute lifetime when shorter than the default (password grants).</summary>
    public int? RefreshTokenLifetimeSeconds { get; init; }

    /// <summary>Extra fields for the success audit event's details (e.g. a refresh from a new IP).</summary>
    public IReadOnlyDictionary<string, object>? AuditDetails { get; init; }

    /// <summary>A new refresh-token family's id when the grant must know it before issuance (a code links its family for replay revocation).</summary>
    public string? RefreshTokenFamilyId { get; init; }

    /// <summary>The authorization request's nonce: copied into the id_token (OIDC Core §3.1.2.1).</summary>
    public string? Nonce { get; init; }

    /// <summary>When the user last authenticated: the id_token's auth_time.</summary>
    public DateTimeOffset? AuthTime { get; init; }

    /// <summary>The SSO session the login belongs to: the id_token's sid.</summary>
    public string? SessionId { get; init; }

    /// <summary>Legacy /oauth/ro: refresh tokens need the `device` parameter; the response has no `scope`.</summary>
    public bool Legacy { get; init; }

    /// <summary>The user's permissions on the API, for the <c>permissions</c> claim (RBAC with an *_authz dialect); null for none.</summary>
    public IReadOnlyList<string>? Permissions { get; init; }

    /// <summary>The API asks for RFC 9068 access tokens (typ at+jwt, client_id, jti, no gty).</summary>
    public bool Rfc9068Profile { get; init; }

    /// <summary>Custom (namespaced) claims for the access token: "claims without code" (<see cref="Claims.ClaimsPolicy"/>).</summary>
    public IReadOnlyDictionary<string, object>? AccessTokenClaims { get; init; }

    /// <summary>Custom (namespaced) claims for the id_token.</summary>
    public IReadOnlyDictionary<string, object>? IdTokenClaims { get; init; }

    public bool HasScope(string scope) => Scopes.Contains(scope);
}
