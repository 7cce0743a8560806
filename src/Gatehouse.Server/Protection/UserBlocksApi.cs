using System.Text.Json.Nodes;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Protection;

/// <summary>
/// Brute-force blocks as Auth0's /api/v2/user-blocks shows and lifts them: by identifier (username, e-mail or phone,
/// compared trimmed and lower-cased) or by user id (the user's identifiers on the user's connection). Answers
/// <c>{"blocked_for":[{"identifier","ip","connection"}]}</c>; <c>ip</c> is absent for per-identifier blocks and the
/// waad upstream-lockout guard. Never lifts an administrator's block (<c>blocked: true</c> on the user).
/// </summary>
internal static class UserBlocksApi
{
    public static void MapUserBlocks(this RouteGroupBuilder api)
    {
        api.MapGet("/user-blocks", async (HttpContext context, BruteForceCounter blocks, AttackProtectionSettingsService settings) =>
        {
            var identifier = Identifier(context.Request);
            var found = await Considered(context.Request, settings, () => blocks.ListAsync(identifier, null, context.RequestAborted), context.RequestAborted);
            return BlockedFor(found.Select(b => (ProtectionKeys.Normalize(identifier), b)));
        }).WithSummary("Get brute-force blocks by identifier").WithTags("User blocks");

        api.MapDelete("/user-blocks", async (HttpContext context, BlockAdmin admin) =>
        {
            await admin.LiftIdentifierAsync(context.AdminActor(), Identifier(context.Request), context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Lift brute-force blocks by identifier").WithTags("User blocks");

        api.MapGet("/user-blocks/{id}", async (string id, HttpContext context, IGatehouseStore store, BruteForceCounter blocks, AttackProtectionSettingsService settings) =>
        {
            var user = await UserAsync(store, id, context.RequestAborted);
            var found = new List<(string, BlockEntry)>();
            foreach (var identifier in BlockAdmin.IdentifiersOf(user))
            {
                var entries = await Considered(context.Request, settings, () => blocks.ListAsync(identifier, user.ConnectionId, context.RequestAborted), context.RequestAborted);
                found.AddRange(entries.Select(e => (identifier, e)));
            }
            return BlockedFor(found);
        }).WithSummary("Get a user's brute-force blocks").WithTags("User blocks");

        api.MapDelete("/user-blocks/{id}", async (string id, HttpContext context, IGatehouseStore store, BlockAdmin admin) =>
        {
            await admin.LiftUserAsync(context.AdminActor(), await UserAsync(store, id, context.RequestAborted), context.RequestAborted);
            return Results.NoContent();
        }).WithSummary("Lift a user's brute-force blocks").WithTags("User blocks");
    }

    private static string Identifier(HttpRequest request)
    {
        var values = request.Query["identifier"];
        if (values.Count > 1)
            throw ManagementException.BadQuery("Query validation error: 'identifier' may be given once.");
        var identifier = values.ToString();
        if (string.IsNullOrWhiteSpace(identifier))
            throw ManagementException.BadQuery("Query validation error: 'Missing required property: identifier'.");
        return identifier.Length <= 1024 ? identifier : throw ManagementException.BadQuery("Query validation error: 'String is too long' on property identifier.");
    }

    /// <summary>consider_brute_force_enablement=true: nothing is blocked while brute-force protection does not block.</summary>
    private static async Task<IReadOnlyList<BlockEntry>> Considered(HttpRequest request, AttackProtectionSettingsService settings,
        Func<Task<IReadOnlyList<BlockEntry>>> list, CancellationToken ct)
    {
        var consider = request.Query["consider_brute_force_enablement"].ToString();
        if (consider is not ("" or "true" or "false"))
            throw ManagementException.BadQuery("Query validation error: 'Expected type boolean' on property consider_brute_force_enablement.");
        return consider == "true" && !(await settings.BruteForceAsync(ct)).Blocks ? [] : await list();
    }

    private static async Task<User> UserAsync(IGatehouseStore store, string id, CancellationToken ct) =>
        await store.GetUserAsync(RouteIds.Decode(id), ct) ?? throw ManagementException.NotFound("User not found.", "inexistent_user");

    private static IResult BlockedFor(IEnumerable<(string Identifier, BlockEntry Entry)> blocks)
    {
        var list = new JsonArray();
        foreach (var (identifier, entry) in blocks.DistinctBy(b => (b.Identifier, b.Entry.ConnectionId, b.Entry.Ip)))
        {
            var item = new JsonObject { ["identifier"] = identifier };
            if (entry.Ip is { Length: > 0 } ip)
                item["ip"] = ip;
            item["connection"] = entry.ConnectionName;
            list.Add(item);
        }
        return Results.Json(new JsonObject { ["blocked_for"] = list }, JsonDefaults.Options);
    }
}
