using Gatehouse.Server.Protection;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Management;

/// <summary>The Management API v2 group: errors in Auth0's shape, bearer-token auth with the scopes of <see cref="ManagementScopeMatrix"/>, sapi audit on writes.</summary>
internal static class ManagementApi
{
    /// <summary>Every Management API route starts with this (route templates in <see cref="ManagementScopeMatrix"/> follow it).</summary>
    public const string Prefix = "/api/v2/";

    public static void MapManagementApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api/v2");
        ((IEndpointConventionBuilder)api).Finally(ManagementScopeMatrix.Apply); // after every route convention: methods and pattern are final
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
        api.MapRoles();
        api.MapUserRoles();
        api.MapUserIdentities();
        api.MapTenantSettings();
        api.MapSigningKeys();
        api.MapLogs();
        api.MapAttackProtection();
        api.MapUserBlocks();
        api.MapAnomalyBlocks();
        api.MapSessions();
        api.MapBranding();
        api.MapAbsentFeatures();

        routes.MapManagementReference();
        routes.Map("/api/v2/{**path}", () => ManagementResults.Error(404, "Not Found", "not_found"));
    }
}
