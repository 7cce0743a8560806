using Gatehouse.Core.Admin;
using Gatehouse.Core.Protection;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Protection;

/// <summary>
/// GET/DELETE /api/v2/anomaly/blocks/ips/{ip}: is an IP throttled by suspicious IP throttling (200, or 404 when it
/// is not, as Auth0 answers), and lift it (204: a full bucket again).
/// </summary>
internal static class AnomalyBlocksApi
{
    public static void MapAnomalyBlocks(this RouteGroupBuilder api)
    {
        api.MapGet("/anomaly/blocks/ips/{id}", async (string id, HttpContext context, SuspiciousIpThrottle throttle) =>
            await throttle.IsBlockedAsync(Ip(id), context.RequestAborted)
                ? Results.Ok()
                : ManagementResults.Error(404, "IP address specified is not currently blocked.", "inexistent_entity"))
            .WithSummary("Check whether an IP address is throttled").WithTags("Anomaly blocks");

        api.MapDelete("/anomaly/blocks/ips/{id}", async (string id, HttpContext context, BlockAdmin admin) =>
        {
            await admin.LiftIpAsync(context.AdminActor(), Uri.UnescapeDataString(id), context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Lift the throttling of an IP address").WithTags("Anomaly blocks");
    }

    private static string Ip(string id) => BlockAdmin.CanonicalIp(Uri.UnescapeDataString(id));
}
