using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Shared;

/// <summary>A log event as Auth0's Management API shows it (GET /api/v2/logs/{id}); the dashboard's log page shows the same JSON.</summary>
internal static class LogJson
{
    public static JsonObject Of(LogEvent log)
    {
        var json = new JsonObject
        {
            ["log_id"] = log.LogId,
            ["date"] = JsonNodes.Date(log.Date),
            ["type"] = log.Type,
            ["description"] = log.Description,
            ["client_id"] = log.ClientId,
            ["client_name"] = log.ClientName,
            ["connection"] = log.ConnectionName,
            ["connection_id"] = log.ConnectionId,
            ["strategy"] = log.Strategy,
            ["strategy_type"] = log.StrategyType,
            ["user_id"] = log.UserId,
            ["user_name"] = log.UserName,
            ["ip"] = log.Ip,
            ["client_ip"] = log.ClientIp,
            ["user_agent"] = log.UserAgent,
            ["audience"] = log.Audience,
            ["scope"] = log.Scope,
            ["details"] = JsonNodes.From(log.Details),
        };
        foreach (var empty in json.Where(p => p.Value is null).Select(p => p.Key).ToList())
            json.Remove(empty);
        return json;
    }
}
