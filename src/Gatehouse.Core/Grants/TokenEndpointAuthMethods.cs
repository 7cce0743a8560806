namespace Gatehouse.Core.Grants;

/// <summary>A client's <c>token_endpoint_auth_method</c> values (Auth0's set, RFC 7591 §2).</summary>
public static class TokenEndpointAuthMethods
{
    /// <summary>A public client (native app, SPA): it has no secret and authenticates with nothing but its id.</summary>
    public const string None = "none";

    public const string ClientSecretPost = "client_secret_post";

    public const string ClientSecretBasic = "client_secret_basic";

    public static readonly IReadOnlyList<string> All = [None, ClientSecretPost, ClientSecretBasic];
}
