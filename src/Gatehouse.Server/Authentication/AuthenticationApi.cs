using Gatehouse.Server.Authorization;

namespace Gatehouse.Server.Authentication;

/// <summary>The Authentication API endpoint groups.</summary>
internal static class AuthenticationApi
{
    public static void MapAuthenticationApi(this IEndpointRouteBuilder routes)
    {
        routes.MapTokenEndpoints();
        routes.MapDeviceCodeEndpoint();
        routes.MapUserInfoEndpoints();
        routes.MapDiscoveryEndpoints();
        routes.MapAuthorizeEndpoints();
        routes.MapMfaEndpoints();
    }
}
