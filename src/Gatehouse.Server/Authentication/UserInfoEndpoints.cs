using Gatehouse.Core.Users;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Authentication;

/// <summary>GET and POST /userinfo with a Bearer access token (RFC 6750 errors with WWW-Authenticate).</summary>
internal static class UserInfoEndpoints
{
    public static void MapUserInfoEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/userinfo", ["GET", "POST"], async (HttpContext context, UserInfoService userInfo) =>
        {
            var header = context.Request.Headers.Authorization.ToString();
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer realm=\"userinfo\"";
                return OAuthResults.Error(401, "invalid_request", "Missing access token.");
            }
            var result = await userInfo.GetAsync(header[7..].Trim(), context.RequestAborted);
            if (result.Claims is null)
            {
                context.Response.Headers.WWWAuthenticate = $"Bearer realm=\"userinfo\", error=\"invalid_token\", error_description=\"{result.Error!.Replace("\"", "'", StringComparison.Ordinal)}\"";
                return OAuthResults.Error(401, "invalid_token", result.Error);
            }
            return Results.Json(result.Claims, JsonDefaults.Options);
        });
    }
}
