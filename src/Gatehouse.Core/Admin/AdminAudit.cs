using System.Text.Json;
using Gatehouse.Core.Logs;

namespace Gatehouse.Core.Admin;

/// <summary>What was changed, described as the Management API call that makes the same change.</summary>
public sealed record AdminChange(string Description, string Method, string Path, int StatusCode = 200);

/// <summary>
/// The audit rule of the admin layer: every successful change appends one <c>sapi</c> event naming its actor, shaped as
/// Auth0 shapes its own dashboard's changes (the equivalent Management API method and path, <c>details.request.channel</c>,
/// <c>details.request.auth.user</c>). Changes made through the Management API are recorded at its HTTP edge instead
/// (<c>ManagementAudit</c>), which also knows the answer's status and records refusals as <c>fapi</c>: one event per
/// request either way.
/// </summary>
public sealed class AdminAudit(AuditLog log)
{
    public const string DashboardChannel = "dashboard";
    public const string SystemChannel = "system";

    public Task RecordAsync(AdminActor actor, AdminChange change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(change);
        if (actor.Channel == AdminChannel.ManagementApi)
            return Task.CompletedTask;
        var request = new Dictionary<string, object?>
        {
            ["channel"] = actor.Channel == AdminChannel.Dashboard ? DashboardChannel : SystemChannel,
            ["method"] = change.Method,
            ["path"] = change.Path,
            ["auth"] = actor.Channel == AdminChannel.Dashboard
                ? new Dictionary<string, object?> { ["user"] = new Dictionary<string, object?> { ["user_id"] = actor.Id, ["email"] = actor.Email }, ["strategy"] = "session" }
                : new Dictionary<string, object?> { ["subject"] = actor.Id, ["strategy"] = SystemChannel },
        };
        return log.WriteAsync(new AuditEntry(LogTypes.ManagementApiWrite, change.Description)
        {
            Ip = actor.Ip,
            UserAgent = actor.UserAgent,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["request"] = request,
                ["response"] = new Dictionary<string, object?> { ["statusCode"] = change.StatusCode },
            }),
        }, ct);
    }
}
