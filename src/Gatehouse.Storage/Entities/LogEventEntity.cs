using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

/// <summary>An audit event; append-only, so it has no Version and its LogId is the key.</summary>
internal sealed class LogEventEntity
{
    public string LogId { get; set; } = "";
    public DateTimeOffset Date { get; set; }
    public string Type { get; set; } = "";
    public string? Description { get; set; }
    public string? ClientId { get; set; }
    public string? ClientName { get; set; }
    public string? ConnectionName { get; set; }
    public string? ConnectionId { get; set; }
    public string? Strategy { get; set; }
    public string? StrategyType { get; set; }
    public string? UserId { get; set; }
    public string? UserName { get; set; }
    public string? Ip { get; set; }
    public string? ClientIp { get; set; }
    public string? UserAgent { get; set; }
    public string? Audience { get; set; }
    public string? Scope { get; set; }
    public string? Details { get; set; }

    public static LogEventEntity From(LogEvent r) => new()
    {
        LogId = r.LogId,
        Date = r.Date,
        Type = r.Type,
        Description = r.Description,
        ClientId = r.ClientId,
        ClientName = r.ClientName,
        ConnectionName = r.ConnectionName,
        ConnectionId = r.ConnectionId,
        Strategy = r.Strategy,
        StrategyType = r.StrategyType,
        UserId = r.UserId,
        UserName = r.UserName,
        Ip = r.Ip,
        ClientIp = r.ClientIp,
        UserAgent = r.UserAgent,
        Audience = r.Audience,
        Scope = r.Scope,
        Details = StoredJson.Write(r.Details),
    };

    public LogEvent ToRecord() => new(
        LogId, Date, Type, Description, ClientId, ClientName, ConnectionName, ConnectionId, Strategy, StrategyType,
        UserId, UserName, Ip, ClientIp, UserAgent, Audience, Scope, StoredJson.Read(Details));
}
