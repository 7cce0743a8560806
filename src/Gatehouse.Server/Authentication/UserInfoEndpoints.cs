using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Gatehouse.Core.Users;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Authentication;

/// <summary>GET and POST /userinfo with a Bearer access token (RFC 6750 errors with WWW-Authenticate).</summary>
internal static class UserInfoEndpoints
{
    public static void MapUserInfoEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/userinfo", ["GET", "POST"], async (HttpContext context, UserInfoService userInfo, AccessTokenValidator validator, TenantIssuer issuer) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            var check = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? await validator.ValidateAsync(header[7..].Trim(), issuer.UserinfoAudience, context.RequestAborted)
                : null;
            // Limited per user (Auth0 §3.1) once the token is valid; per IP before, so bad tokens cannot drain a user's bucket.
            if (await RateLimitEndpoints.TakeForUserAsync(context, check?.Token?.Subject) is { Allowed: false })
                return RateLimitEndpoints.AuthenticationTooManyRequests();
            if (check is null)
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"userinfo\"";
                return OAuthResults.Error(401, "invalid_request", "Missing access token.");
            }
            var result = await userInfo.GetAsync(check, context.RequestAborted);
            if (result.Claims is null)
            {
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"userinfo\", error=\"invalid_token\", error_description=\"{result.Error!.Replace("\"", "'", StringComparison.Ordinal)}\"";
                return OAuthResults.Error(401, "invalid_token", result.Error);
            }
            return Results.Json(result.Claims, JsonDefaults.Options);
        });
    }
}
