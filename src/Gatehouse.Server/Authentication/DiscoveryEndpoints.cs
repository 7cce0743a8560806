using Gatehouse.Core.Grants;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Authentication;

/// <summary>/.well-known/openid-configuration (and its OAuth twin) and /.well-known/jwks.json.</summary>
internal static class DiscoveryEndpoints
{
    public static void MapDiscoveryEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/.well-known/openid-configuration", (TenantIssuer issuer) => Results.Json(Document(issuer.Issuer), JsonDefaults.Options))
            .RateLimitedPerIp(RateLimitOptions.Discovery);
        routes.MapGet("/.well-known/oauth-authorization-server", (TenantIssuer issuer) => Results.Json(Document(issuer.Issuer), JsonDefaults.Options))
            .RateLimitedPerIp(RateLimitOptions.Discovery);

        routes.MapGet("/.well-known/jwks.json", async (HttpContext context, SigningKeyService keys, TimeProvider time) =>
        {
            var ring = await keys.GetRingAsync(context.RequestAborted);
            context.Response.Headers.CacheControl = "public, max-age=300";
            var published = ring.PublishedAt(time.GetUtcNow()).Select(k => new Dictionary<string, object>
            {
                ["alg"] = k.Jwk.Alg,
                ["kty"] = k.Jwk.Kty,
                ["use"] = k.Jwk.Use,
                ["n"] = k.Jwk.N,
                ["e"] = k.Jwk.E,
                ["kid"] = k.Jwk.Kid,
                ["x5t"] = k.Jwk.X5t,
                ["x5c"] = k.Jwk.X5c,
            });
            return Results.Json(new Dictionary<string, object> { ["keys"] = published }, JsonDefaults.Options);
        }).RateLimitedPerIp(RateLimitOptions.Discovery);
    }

    /// <summary>Auth0's discovery shape (OpenID Connect Discovery 1.0, as https://auth0.com/docs/api/authentication lists it), listing only what Gatehouse serves.</summary>
    private static Dictionary<string, object> Document(string issuer) => new()
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = issuer + "authorize",
        ["token_endpoint"] = issuer + "oauth/token",
        ["device_authorization_endpoint"] = issuer + "oauth/device/code",
        ["userinfo_endpoint"] = issuer + "userinfo",
        ["jwks_uri"] = issuer + ".well-known/jwks.json",
        ["revocation_endpoint"] = issuer + "oauth/revoke",
        ["scopes_supported"] = new[] { "openid", "profile", "offline_access", "name", "given_name", "family_name", "nickname", "email", "email_verified", "picture", "created_at", "identities", "phone", "address" },
        ["response_types_supported"] = new[] { "code" },
        ["response_modes_supported"] = new[] { "query", "form_post" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["prompt_values_supported"] = new[] { "none", "login", "consent", "select_account" },
        ["authorization_response_iss_parameter_supported"] = true,
        ["grant_types_supported"] = new[] { GrantTypes.AuthorizationCode, GrantTypes.Password, GrantTypes.PasswordRealm, GrantTypes.ClientCredentials, GrantTypes.RefreshToken, GrantTypes.DeviceCode },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["token_endpoint_auth_methods_supported"] = new[] { TokenEndpointAuthMethods.ClientSecretBasic, TokenEndpointAuthMethods.ClientSecretPost, TokenEndpointAuthMethods.None },
        ["revocation_endpoint_auth_methods_supported"] = new[] { TokenEndpointAuthMethods.ClientSecretBasic, TokenEndpointAuthMethods.ClientSecretPost, TokenEndpointAuthMethods.None },
        ["claims_supported"] = new[] { "aud", "auth_time", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "nickname", "nonce", "phone_number", "picture", "sid", "sub", "updated_at" },
        ["request_uri_parameter_supported"] = false,
        ["request_parameter_supported"] = false,
    };
}
