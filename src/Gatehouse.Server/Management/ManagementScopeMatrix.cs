using Gatehouse.Core.Protection;

namespace Gatehouse.Server.Management;

/// <summary>A body field that needs its own scope: setting it needs any one of <see cref="AnyOf"/>; "*" is every other field.</summary>
public sealed record FieldScopes(string Route, string Field, IReadOnlyList<string> AnyOf);

/// <summary>
/// Which scopes each Management API route needs, as Auth0 requires them: the one table the routes take their scopes
/// from (<see cref="Apply"/> attaches them; a route missing here answers 403 to every caller, and a test lists it), and
/// the body fields that need more than the route's scope (<see cref="RequireFieldScopes"/>). Secrets follow one rule
/// besides: a client's secret is shown only to read:client_keys, connection options only to read:connections_options
/// (except the secret a create or a rotation just made, returned once to its caller, as Auth0 does).
/// </summary>
internal static class ManagementScopeMatrix
{
    // Before Routes: static fields start in this order.
    private static readonly string[] Any = [.. ManagementScopes.All];

    /// <summary>
    /// "METHOD /path" (the route template under /api/v2) → the scopes of which the caller needs any one; an entry of
    /// several space-separated scopes is satisfied only by all of them (<see cref="Admits"/>).
    /// </summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Routes = Build();

    /// <summary>Fields of a body that need more than the route's scope.</summary>
    public static readonly IReadOnlyList<FieldScopes> Fields =
    [
        // Auth0: client_secret changes only with update:client_keys; so does the auth method (it makes a client public or mints a secret).
        new("PATCH /clients/{id}", "client_secret", ["update:client_keys"]),
        new("PATCH /clients/{id}", "token_endpoint_auth_method", ["update:client_keys"]),
        new("PATCH /clients/{id}", "*", ["update:clients"]),
        // update:users_app_metadata reaches the two metadata objects and nothing else.
        new("PATCH /users/{id}", "app_metadata", ["update:users", "update:users_app_metadata"]),
        new("PATCH /users/{id}", "user_metadata", ["update:users", "update:users_app_metadata"]),
        new("PATCH /users/{id}", "*", ["update:users"]),
        new("PATCH /connections/{id}", "options", ["update:connections_options"]),
    ];

    private static Dictionary<string, IReadOnlyList<string>> Build()
    {
        var routes = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
        {
            ["GET /clients"] = ["read:clients", "read:client_keys"],
            ["GET /clients/{id}"] = ["read:clients", "read:client_keys"],
            ["POST /clients"] = ["create:clients"],
            ["PATCH /clients/{id}"] = ["update:clients", "update:client_keys"],
            ["POST /clients/{id}/rotate-secret"] = ["update:client_keys"],
            ["DELETE /clients/{id}"] = ["delete:clients"],
            ["GET /clients/{id}/credentials"] = ["read:clients", "read:client_keys"],

            ["GET /resource-servers"] = ["read:resource_servers"],
            ["GET /resource-servers/{id}"] = ["read:resource_servers"],
            ["POST /resource-servers"] = ["create:resource_servers"],
            ["PATCH /resource-servers/{id}"] = ["update:resource_servers"],
            ["DELETE /resource-servers/{id}"] = ["delete:resource_servers"],

            ["GET /client-grants"] = ["read:client_grants"],
            ["GET /client-grants/{id}"] = ["read:client_grants"],
            ["POST /client-grants"] = ["create:client_grants"],
            ["PATCH /client-grants/{id}"] = ["update:client_grants"],
            ["DELETE /client-grants/{id}"] = ["delete:client_grants"],

            ["GET /connections"] = ["read:connections"],
            ["GET /connections/{id}"] = ["read:connections"],
            ["POST /connections"] = ["create:connections"],
            ["PATCH /connections/{id}"] = ["update:connections"],
            ["DELETE /connections/{id}"] = ["delete:connections"],
            ["GET /connections/{id}/clients"] = ["read:connections"],
            ["PATCH /connections/{id}/clients"] = ["update:connections"],

            ["GET /users"] = ["read:users"],
            ["GET /users/{id}"] = ["read:users", "read:user_idp_tokens"],
            ["GET /users-by-email"] = ["read:users"],
            ["GET /users/{id}/logs"] = ["read:logs", "read:logs_users"],
            ["POST /users"] = ["create:users"],
            ["PATCH /users/{id}"] = ["update:users", "update:users_app_metadata"],
            ["DELETE /users/{id}"] = ["delete:users"],

            ["GET /roles"] = ["read:roles"],
            ["POST /roles"] = ["create:roles"],
            ["GET /roles/{id}"] = ["read:roles"],
            ["PATCH /roles/{id}"] = ["update:roles"],
            ["DELETE /roles/{id}"] = ["delete:roles"],
            ["GET /roles/{id}/permissions"] = ["read:roles"],
            ["POST /roles/{id}/permissions"] = ["update:roles"],
            ["DELETE /roles/{id}/permissions"] = ["update:roles"],
            // Auth0: read:users and read:roles together, or the newer read:role_members alone (an entry with a space needs all its scopes).
            ["GET /roles/{id}/users"] = ["read:users read:roles", "read:role_members"],
            ["POST /roles/{id}/users"] = ["update:roles", "create:role_members"],
            ["GET /users/{id}/roles"] = ["read:users read:roles", "read:role_members"],
            ["POST /users/{id}/roles"] = ["update:users", "create:role_members"],
            ["DELETE /users/{id}/roles"] = ["update:users", "delete:role_members"],
            ["GET /users/{id}/permissions"] = ["read:users"],
            ["POST /users/{id}/permissions"] = ["update:users"],
            ["DELETE /users/{id}/permissions"] = ["update:users"],
            // update:current_user_identities reaches only the token's own user (UserIdentitiesApi).
            ["POST /users/{id}/identities"] = ["update:users", "update:current_user_identities"],
            ["DELETE /users/{id}/identities/{provider}/{user_id}"] = ["update:users", "update:current_user_identities"],

            ["GET /tenants/settings"] = ["read:tenant_settings"],
            ["PATCH /tenants/settings"] = ["update:tenant_settings"],

            ["GET /keys/signing"] = ["read:signing_keys"],
            ["GET /keys/signing/{kid}"] = ["read:signing_keys"],
            ["POST /keys/signing/rotate"] = ["create:signing_keys", "update:signing_keys"],
            ["PUT /keys/signing/{kid}/revoke"] = ["update:signing_keys"],

            ["GET /logs"] = ["read:logs", "read:logs_users"],
            ["GET /logs/{id}"] = ["read:logs", "read:logs_users"],

            ["GET /user-blocks"] = ["read:users"],
            ["DELETE /user-blocks"] = ["update:users"],
            ["GET /user-blocks/{id}"] = ["read:users"],
            ["DELETE /user-blocks/{id}"] = ["update:users"],

            ["GET /branding"] = ["read:branding"],
            ["PATCH /branding"] = ["update:branding"],

            ["GET /sessions/{id}"] = ["read:sessions"],
            ["DELETE /sessions/{id}"] = ["delete:sessions"],
            ["GET /users/{id}/sessions"] = ["read:sessions"],
            ["DELETE /users/{id}/sessions"] = ["delete:sessions"],
            ["DELETE /users/{id}/refresh-tokens"] = ["delete:refresh_tokens"],
            // Gatehouse's one call for both: a caller that could not make either of the two calls alone cannot make it.
            ["POST /users/{id}/gatehouse/revoke-access"] = ["delete:sessions delete:refresh_tokens"],

            ["GET /anomaly/blocks/ips/{id}"] = ["read:anomaly_blocks"],
            ["DELETE /anomaly/blocks/ips/{id}"] = ["delete:anomaly_blocks"],
        };
        foreach (var kind in new[] { AttackProtectionKinds.BruteForce, AttackProtectionKinds.SuspiciousIp, AttackProtectionKinds.BreachedPassword })
        {
            routes[$"GET /attack-protection/{kind}"] = ["read:attack_protection"];
            routes[$"PATCH /attack-protection/{kind}"] = ["update:attack_protection"];
        }
        // Features Gatehouse does not have: any Management API token reads their empty answers; writes are refused anyway.
        foreach (var path in AbsentFeaturesApi.ReadPaths)
            routes[$"GET {path}"] = Any;
        foreach (var path in AbsentFeaturesApi.WritePaths)
        {
            foreach (var method in AbsentFeaturesApi.WriteMethods)
                routes[$"{method} {path}"] = Any;
        }
        return routes;
    }

    /// <summary>Whether a token's scopes satisfy one of the entries (each entry: every one of its space-separated scopes).</summary>
    public static bool Admits(IReadOnlyList<string> anyOf, IReadOnlyCollection<string> scopes) =>
        anyOf.Any(entry => entry.Split(' ').All(scopes.Contains));

    /// <summary>Whether a route is open to any Management API scope (an absent feature): nothing to protect.</summary>
    public static bool IsOpenToAnyScope(IReadOnlyList<string> anyOf) => ReferenceEquals(anyOf, Any);

    /// <summary>The matrix key of a route under /api/v2: "PATCH /clients/{id}".</summary>
    public static string Key(string method, string template) => $"{method} {template}";

    /// <summary>
    /// Group convention: gives each endpoint its <see cref="RequiredScopes"/> from the matrix. An endpoint the matrix
    /// does not name gets none, and the auth filter then refuses every caller.
    /// </summary>
    public static void Apply(EndpointBuilder endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (Template(endpoint) is not { } template)
            return;
        foreach (var method in endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault()?.HttpMethods ?? [])
        {
            if (Routes.TryGetValue(Key(method, template), out var anyOf))
            {
                endpoint.Metadata.Add(new RequiredScopes(anyOf));
                return;
            }
        }
    }

    /// <summary>The route template without the /api/v2 prefix, or null for an endpoint outside it.</summary>
    public static string? Template(EndpointBuilder endpoint) =>
        endpoint is RouteEndpointBuilder { RoutePattern.RawText: { } raw } && raw.StartsWith(ManagementApi.Prefix, StringComparison.Ordinal)
            ? raw[(ManagementApi.Prefix.Length - 1)..]
            : null;

    /// <summary>
    /// The field rules of the current route: 403 insufficient_scope, before anything changes, when the body sets a field
    /// the caller's scopes do not reach. <paramref name="unchanged"/> names fields sent with their stored value, which
    /// change nothing and need no more than the route's scope (tools re-send whole objects).
    /// </summary>
    internal static void RequireFieldScopes(this HttpContext context, JsonBody body, Func<string, bool>? unchanged = null)
    {
        var route = context.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } raw }
            ? Key(context.Request.Method, raw[(ManagementApi.Prefix.Length - 1)..])
            : null;
        var rules = Fields.Where(f => f.Route == route).ToList();
        foreach (var field in body.Root.EnumerateObject().Select(p => p.Name))
        {
            if (unchanged?.Invoke(field) == true)
                continue;
            var rule = rules.FirstOrDefault(r => r.Field == field) ?? rules.FirstOrDefault(r => r.Field == "*");
            if (rule is not null && !rule.AnyOf.Any(context.CallerHas))
                throw new ManagementException(403, $"Insufficient scope, expected any of: {string.Join(',', rule.AnyOf)}", "insufficient_scope");
        }
    }
}
