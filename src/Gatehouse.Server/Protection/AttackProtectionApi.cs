using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Protection;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Protection;

/// <summary>
/// GET/PATCH /api/v2/attack-protection/{brute-force-protection, suspicious-ip-throttling, breached-password-detection}:
/// adapters over <see cref="AttackProtectionAdmin"/>, which owns Auth0's shapes, validation and the save.
/// </summary>
internal static class AttackProtectionApi
{
    public static void MapAttackProtection(this RouteGroupBuilder api)
    {
        Map<BruteForceProtectionSettings>(api, AttackProtectionKinds.BruteForce, "Brute-force protection settings", (a, actor, body, ct) => a.UpdateBruteForceAsync(actor, body, ct));
        Map<SuspiciousIpThrottlingSettings>(api, AttackProtectionKinds.SuspiciousIp, "Suspicious IP throttling settings", (a, actor, body, ct) => a.UpdateSuspiciousIpAsync(actor, body, ct));
        Map<BreachedPasswordDetectionSettings>(api, AttackProtectionKinds.BreachedPassword, "Breached password detection settings (stored, not enforced)",
            (a, actor, body, ct) => a.UpdateBreachedPasswordAsync(actor, body, ct));
    }

    private static void Map<T>(RouteGroupBuilder api, string kind, string title, Func<AttackProtectionAdmin, AdminActor, JsonElement, CancellationToken, Task<T>> update)
        where T : notnull, new()
    {
        api.MapGet("/attack-protection/" + kind, async (HttpContext context, AttackProtectionAdmin admin) =>
            Results.Json(await admin.GetAsync<T>(kind, context.RequestAborted), JsonDefaults.Options))
            .WithSummary("Get " + title).WithTags("Attack protection");

        api.MapPatch("/attack-protection/" + kind, async (HttpContext context, AttackProtectionAdmin admin) =>
        {
            var body = await JsonBody.ReadAsync(context.Request);
            return Results.Json(await update(admin, context.AdminActor(), body.Root, context.RequestAborted), JsonDefaults.Options);
        }).WithSummary("Update " + title).WithTags("Attack protection");
    }
}
