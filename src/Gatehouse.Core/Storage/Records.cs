using System.Text.Json;

namespace Gatehouse.Core.Storage;

// Plain records behind IGatehouseStore. Every record that can be updated carries a Version: the store
// increments it on each write and refuses a write whose Version is not the stored one (StoreError.Conflict).
// Secrets are stored only in protected form (see ISecretProtector); the *Protected fields are never shown raw.

public sealed record TenantSettings(
    string FriendlyName,
    string DefaultDirectory,
    string DefaultAudience,
    JsonElement? Extra,        // other Auth0 tenant settings we store and return but do not act on yet
    long Version);

public sealed record Client(
    string ClientId,
    string Name,
    string AppType,                          // native | spa | regular_web | non_interactive
    bool IsFirstParty,
    string TokenEndpointAuthMethod,          // none | client_secret_post | client_secret_basic
    string? ClientSecretProtected,
    IReadOnlyList<string> GrantTypes,
    bool IsTokenEndpointIpHeaderTrusted,
    bool IsGlobal,                           // Auth0's "All Applications" client; not used for logins
    JsonElement? Extra,                      // callbacks, jwt_configuration, client_metadata, ... as Auth0 shapes
    DateTimeOffset CreatedAt,
    long Version);

public sealed record ResourceServer(
    string Id,
    string Identifier,                       // the audience
    string Name,
    IReadOnlyList<ResourceServerScope> Scopes,
    string SigningAlg,
    int TokenLifetime,
    int TokenLifetimeForWeb,
    bool AllowOfflineAccess,
    bool SkipConsentForVerifiableFirstPartyClients,
    bool IsSystem,                           // the Management API itself: not deletable
    JsonElement? Extra,
    long Version);

public sealed record ResourceServerScope(string Value, string? Description);

public sealed record ClientGrant(
    string Id,
    string ClientId,
    string Audience,
    IReadOnlyList<string> Scope,
    long Version);

public sealed record Connection(
    string Id,
    string Name,
    string Strategy,                         // "auth0", "waad", ...
    JsonElement Options,                     // strategy options; secrets inside are protected by the strategy
    IReadOnlyList<string> EnabledClients,
    IReadOnlyList<string> Realms,
    string? DisplayName,
    bool IsDomainConnection,
    bool ShowAsButton,
    JsonElement? Metadata,
    long Version);

public sealed record UserIdentity(
    string Provider,                         // "auth0", "waad"
    string UserId,                           // without the provider prefix
    string Connection,                       // connection name
    bool IsSocial,
    string? AccessTokenProtected,
    string? RefreshTokenProtected,
    JsonElement? ProfileData)
{
    /// <summary>What the last recheck of the upstream session said (refresh grant, <see cref="Connections.IUpstreamSessionCheck"/>); null until one ran.</summary>
    public UpstreamCheck? UpstreamCheck { get; init; }
}

/// <summary>
/// One recheck of a user's upstream session: when, what the provider said ("alive", "revoked: …", "unavailable: …"),
/// and when it last confirmed the account (the interval and the grace count from there).
/// </summary>
public sealed record UpstreamCheck(DateTimeOffset CheckedAt, string Result, DateTimeOffset ConfirmedAt);

public sealed record User(
    string UserId,                           // "<provider>|<id>", e.g. "auth0|6a1f..." or "waad|<oid>"
    string ConnectionId,
    string? Email,
    bool EmailVerified,
    string? Username,
    string? PhoneNumber,
    string? Name,
    string? GivenName,
    string? FamilyName,
    string? Nickname,
    string? Picture,
    string? PasswordHash,                    // database connections only; never for federated users
    string? ExternalKey,                     // upstream identity key, e.g. "<tid>/<oid>" for Azure AD
    IReadOnlyList<UserIdentity> Identities,
    JsonElement? UserMetadata,
    JsonElement? AppMetadata,
    JsonElement? Attributes,                 // IdP root attributes (upn, tenantid, oid, groups, ...)
    bool Blocked,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastLogin,
    string? LastIp,
    int LoginsCount,
    DateTimeOffset? LastPasswordReset,
    long Version)
{
    /// <summary>
    /// Set when this user is a linked secondary account: the primary user's id. The record stays (its connection still
    /// finds it by email, username or external key, so a login through it resolves to the primary), but it is no user
    /// of its own: the primary lists it in <see cref="Identities"/>, and lists and look-ups by id leave it out.
    /// </summary>
    public string? LinkedTo { get; init; }
}

/// <summary>An RS256 signing key. The private key is stored only as protected PKCS#8.</summary>
public sealed record SigningKey(
    string Kid,
    string CertificatePem,                   // self-signed certificate carrying the public key (JWKS x5c/x5t)
    string PrivateKeyProtected,
    DateTimeOffset CreatedAt,
    bool Current,
    bool Next,
    DateTimeOffset? RevokedAt,               // set when rotated out; published until tokens signed by it expire
    DateTimeOffset? PublishUntil,
    long Version);

/// <summary>A refresh token, stored only as a hash. A family shares FamilyId; reuse of a rotated token revokes it.</summary>
public sealed record RefreshToken(
    string TokenHash,
    string FamilyId,
    string ClientId,
    string UserId,
    string? Audience,
    IReadOnlyList<string> Scopes,
    string? ConnectionId,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RotatedAt,               // set when exchanged for a successor
    DateTimeOffset? RevokedAt,
    long Version)
{
    /// <summary>The end user's IP when the family was first issued; successors keep it (null for older families).</summary>
    public string? IssuedIp { get; init; }

    /// <summary>The grant that started the family (password grants get shorter lifetimes); successors keep it.</summary>
    public string? OriginGrantType { get; init; }
}

/// <summary>An audit event in Auth0's log shape. Never carries a password or a secret.</summary>
public sealed record LogEvent(
    string LogId,
    DateTimeOffset Date,
    string Type,                             // Auth0 log type code: sepft, fp, fu, sapi, limit_wc, ...
    string? Description,
    string? ClientId,
    string? ClientName,
    string? ConnectionName,
    string? ConnectionId,
    string? Strategy,
    string? StrategyType,
    string? UserId,
    string? UserName,
    string? Ip,
    string? ClientIp,
    string? UserAgent,
    string? Audience,
    string? Scope,
    JsonElement? Details);

/// <summary>One kind of attack-protection settings (e.g. "brute-force-protection") as its Auth0 JSON document.</summary>
public sealed record ProtectionSettings(
    string Kind,
    JsonElement Value,
    long Version);
