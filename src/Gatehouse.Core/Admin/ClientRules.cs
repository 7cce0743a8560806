using Gatehouse.Core.Grants;

namespace Gatehouse.Core.Admin;

/// <summary>
/// The rules for a client's settings, used by <see cref="ClientAdmin"/>. Each check answers null when valid, or the
/// problem in the Management API's words.
/// </summary>
public static class ClientRules
{
    public static string? NameProblem(string name) =>
        name.Length == 0 || name.Contains('<', StringComparison.Ordinal) || name.Contains('>', StringComparison.Ordinal) || name.Length > 256
            ? "Payload validation error: 'String does not match pattern ^[^<>]+$' on property name (The name of the client)."
            : null;

    public static string? OneOfProblem(string property, string value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value) ? null : $"Payload validation error: 'No enum match for: \"{value}\"' on property {property}.";

    public static string? GrantTypesProblem(IReadOnlyList<string> grants, string method)
    {
        if (grants.FirstOrDefault(g => !GrantTypes.Known.Contains(g)) is { } unknown)
            return $"Payload validation error: 'No enum match for: \"{unknown}\"' on property grant_types.";
        return PublicClientCredentialsProblem(method, grants);
    }

    /// <summary>A public client (method none) cannot authenticate, so it cannot use client_credentials.</summary>
    public static string? PublicClientCredentialsProblem(string method, IReadOnlyList<string> grants) =>
        method == TokenEndpointAuthMethods.None && grants.Contains(GrantTypes.ClientCredentials)
            ? "Payload validation error: 'client_credentials cannot be used by a client with token_endpoint_auth_method none' on property grant_types."
            : null;

    /// <summary>Auth0's defaults for an app type; a public client (method none) never gets client_credentials.</summary>
    public static IReadOnlyList<string> DefaultGrantTypes(string appType, string method) =>
        method == TokenEndpointAuthMethods.None ? ClientFactory.DefaultGrantTypes(appType).Where(g => g != GrantTypes.ClientCredentials).ToList() : ClientFactory.DefaultGrantTypes(appType);
}
