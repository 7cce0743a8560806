using Gatehouse.Server.Protection;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Management;

/// <summary>The Management API v2 group: errors in Auth0's shape, bearer-token auth with scopes, sapi audit on writes.</summary>
internal static class ManagementApi
{
    public static void MapManagementApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v2");
        api.AddEndpointFilter(CorrelationId.Filter);
        api.AddEndpointFilter(ManagementErrorsFilter.Filter);
        api.AddEndpointFilter(RateLimitEndpoints.ManagementFilter);
        api.AddEndpointFilter(ManagementAuth.Filter);
        api.AddEndpointFilter(ManagementAudit.Filter);

        api.MapClients();
        api.MapResourceServers();
        api.MapClientGrants();
        api.MapConnections();
        api.MapUsers();
        api.MapTenantSettings();
        api.MapSigningKeys();
        api.MapLogs();
        api.MapAttackProtection();
        api.MapUserBlocks();
        api.MapAnomalyBlocks();
        api.MapAbsentFeatures();

        routes.MapManagementReference();
        routes.Map("/api/v2/{**path}", () => ManagementResults.Error(404, "Not Found", "not_found"));
    }
}
