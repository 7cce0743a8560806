namespace Gatehouse.Connections.Upstream;

/// <summary>What an id_token must satisfy (OpenID Connect Core 1.0 §3.1.3.7). A strategy builds one per connection.</summary>
public sealed record IdTokenRules
{
    /// <summary>The default skew allowed on <c>exp</c> and <c>nbf</c>.</summary>
    public static readonly TimeSpan DefaultClockSkew = TimeSpan.FromMinutes(5);

    public required IssuerRule Issuer { get; init; }

    /// <summary>The client_id: the token's one and only audience (Gatehouse asks for no other).</summary>
    public required string Audience { get; init; }

    /// <summary>Where the issuer's signing keys are (discovery's <c>jwks_uri</c>, or a URL the strategy knows).</summary>
    public required Uri KeysUrl { get; init; }

    public TimeSpan ClockSkew { get; init; } = DefaultClockSkew;

    /// <summary>The nonce sent in the authorization request; when set, the token must carry exactly it (§3.1.3.7 step 11).</summary>
    public string? Nonce { get; init; }

    /// <summary>
    /// Why an unsigned (<c>alg none</c>) token is refused; null accepts one. Only a token received straight from the
    /// token endpoint over HTTPS may be accepted unsigned (§3.1.3.7 step 6): the strategy decides, per connection.
    /// </summary>
    public string? UnsignedRefusal { get; init; } = "the issuer signs its tokens";
}
