using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Server.Management;

/// <summary>Endpoint metadata: the scopes of which the caller's token needs any one (from <see cref="ManagementScopeMatrix"/>).</summary>
public sealed record RequiredScopes(IReadOnlyList<string> AnyOf);

internal static class ManagementAuth
{
    private const string TokenKey = "gatehouse.management.token";
    private const string CheckKey = "gatehouse.management.check";

    public static ValidatedAccessToken Caller(this HttpContext context) =>
        (ValidatedAccessToken)context.Items[TokenKey]!;

    public static bool CallerHas(this HttpContext context, string scope) => context.Caller().Scopes.Contains(scope);

    /// <summary>
    /// The bearer token checked for the Management API audience, once per request (the rate limit keys on its client
    /// before this filter checks scopes); null without a bearer token.
    /// </summary>
    public static async ValueTask<AccessTokenCheck?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(CheckKey, out var memo))
            return (AccessTokenCheck?)memo;
        var header = context.Request.Headers.Authorization.ToString();
        AccessTokenCheck? check = null;
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var services = context.RequestServices;
            check = await services.GetRequiredService<AccessTokenValidator>()
                .ValidateAsync(header[7..].Trim(), services.GetRequiredService<TenantIssuer>().ManagementAudience, context.RequestAborted);
        }
        context.Items[CheckKey] = check;
        return check;
    }

    /// <summary>
    /// Bearer access token with aud = {issuer}api/v2/, signed by us; then the endpoint's scopes.
    /// 401 Invalid token / Bad audience, 403 insufficient_scope, as Auth0 answers. An endpoint without scopes (missing
    /// from the matrix) refuses everyone.
    /// </summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var check = await AuthenticateAsync(context);
        if (check is null)
            return ManagementResults.Error(401, "Missing authentication", "missing_authentication");
        if (check.Token is not { } token)
            return ManagementResults.Error(401, check.Error!, "invalid_token");
        context.Items[TokenKey] = token;

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScopes>();
        if (required is null || !ManagementScopeMatrix.Admits(required.AnyOf, token.Scopes))
            return ManagementResults.Error(403, $"Insufficient scope, expected any of: {string.Join(',', required?.AnyOf ?? [])}", "insufficient_scope");
        return await next(invocation);
    }
}
