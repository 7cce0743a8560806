namespace Gatehouse.Core.Tokens;

/// <summary>Token lifetimes and key caching. Defaults are Auth0's.</summary>
public sealed class TokenOptions
{
    /// <summary>id_token lifetime unless the client's jwt_configuration.lifetime_in_seconds says otherwise.</summary>
    public int IdTokenLifetimeSeconds { get; set; } = 36000;

    /// <summary>Access tokens for /userinfo only, and APIs without a token_lifetime.</summary>
    public int DefaultAccessTokenLifetimeSeconds { get; set; } = 86400;

    /// <summary>Auth0's ceiling for an API's token_lifetime; also the longest a rotated-out key must stay published.</summary>
    public int MaxAccessTokenLifetimeSeconds { get; set; } = 2592000;

    /// <summary>Absolute lifetime of a refresh-token family (rotation keeps the family's expiry).</summary>
    public int RefreshTokenLifetimeSeconds { get; set; } = 2592000;

    /// <summary>
    /// Cap on the access-token lifetime of the password grants (password, password-realm, /oauth/ro) and of refreshes
    /// of their families; 0 = no cap. RFC 6749 §10.7: consider the lifetime of tokens from this grant.
    /// </summary>
    public int PasswordGrantAccessTokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>Cap on the absolute lifetime of a refresh-token family started by a password grant; 0 = no cap.</summary>
    public int PasswordGrantRefreshTokenLifetimeSeconds { get; set; } = 1209600;

    /// <summary>Refuse (invalid_grant) a refresh from another IP than the family was issued to (IPv6: another /64).</summary>
    public bool RefreshTokenBindToIp { get; set; }

    /// <summary>How long a node serves its cached key ring before re-reading keys from the store (rotation by another node).</summary>
    public int KeyRingRefreshSeconds { get; set; } = 300;
}
