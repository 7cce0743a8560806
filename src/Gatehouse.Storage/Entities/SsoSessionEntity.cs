using Gatehouse.Core.Sessions;

namespace Gatehouse.Storage.Entities;

internal sealed class SsoSessionEntity : VersionedEntity
{
    public string SessionId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string Connections { get; set; } = "[]";
    public string Clients { get; set; } = "[]";
    public DateTimeOffset AuthenticatedAt { get; set; }
    public DateTimeOffset LastInteractionAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset IdleExpiresAt { get; set; }
    public string? Ip { get; set; }
    public string? UserAgent { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public static SsoSessionEntity From(SsoSession s) => new()
    {
        SessionId = s.Id,
        UserId = s.UserId,
        Connections = StoredJson.WriteList(s.Connections),
        Clients = StoredJson.WriteList(s.Clients),
        AuthenticatedAt = s.AuthenticatedAt,
        LastInteractionAt = s.LastInteractionAt,
        ExpiresAt = s.ExpiresAt,
        IdleExpiresAt = s.IdleExpiresAt,
        Ip = s.Ip,
        UserAgent = s.UserAgent,
        CreatedAt = s.CreatedAt,
        Version = s.Version,
    };

    public SsoSession ToRecord() => new(
        SessionId, UserId, StoredJson.ReadList<string>(Connections), StoredJson.ReadList<string>(Clients),
        AuthenticatedAt, LastInteractionAt, ExpiresAt, IdleExpiresAt, Ip, UserAgent, CreatedAt, Version);
}
