using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Server.Management;

/// <summary>Endpoint metadata: the scopes of which the caller's token needs any one.</summary>
public sealed record RequiredScopes(IReadOnlyList<string> AnyOf);

internal static class ManagementAuth
{
    private const string TokenKey = "gatehouse.management.token";

    public static TBuilder RequireScopes<TBuilder>(this TBuilder builder, params string[] anyOf) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScopes(anyOf));

    public static ValidatedAccessToken Caller(this HttpContext context) =>
        (ValidatedAccessToken)context.Items[TokenKey]!;

    public static bool CallerHas(this HttpContext context, string scope) => context.Caller().Scopes.Contains(scope);

    /// <summary>
    /// Bearer access token with aud = {issuer}api/v2/, signed by us; then the endpoint's scopes.
    /// 401 Invalid token / Bad audience, 403 insufficient_scope, as Auth0 answers.
    /// </summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return ManagementResults.Error(401, "Missing authentication", "missing_authentication");
        var services = context.RequestServices;
        var check = await services.GetRequiredService<AccessTokenValidator>()
            .ValidateAsync(header[7..].Trim(), services.GetRequiredService<TenantIssuer>().ManagementAudience, context.RequestAborted);
        if (check.Token is not { } token)
            return ManagementResults.Error(401, check.Error!, "invalid_token");
        context.Items[TokenKey] = token;

        var required = context.GetEndpoint()?.Metadata.GetMetadata<RequiredScopes>();
        if (required is null || !required.AnyOf.Any(token.Scopes.Contains))
            return ManagementResults.Error(403, $"Insufficient scope, expected any of: {string.Join(',', required?.AnyOf ?? [])}", "insufficient_scope");
        return await next(invocation);
    }
}
