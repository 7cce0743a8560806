using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class RefreshTokenEntity : VersionedEntity
{
    public string TokenHash { get; set; } = "";
    public string FamilyId { get; set; } = "";
    public string ClientId { get; set; } = "";
    public string UserId { get; set; } = "";
    public string? Audience { get; set; }
    public string Scopes { get; set; } = "[]";
    public string? ConnectionId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? IssuedIp { get; set; }
    public string? OriginGrantType { get; set; }

    public static RefreshTokenEntity From(RefreshToken r) => new()
    {
        TokenHash = r.TokenHash,
        FamilyId = r.FamilyId,
        ClientId = r.ClientId,
        UserId = r.UserId,
        Audience = r.Audience,
        Scopes = StoredJson.WriteList(r.Scopes),
        ConnectionId = r.ConnectionId,
        CreatedAt = r.CreatedAt,
        ExpiresAt = r.ExpiresAt,
        RotatedAt = r.RotatedAt,
        RevokedAt = r.RevokedAt,
        IssuedIp = r.IssuedIp,
        OriginGrantType = r.OriginGrantType,
        Version = r.Version,
    };

    public RefreshToken ToRecord() => new(
        TokenHash, FamilyId, ClientId, UserId, Audience, StoredJson.ReadList<string>(Scopes), ConnectionId,
        CreatedAt, ExpiresAt, RotatedAt, RevokedAt, Version)
    {
        IssuedIp = IssuedIp,
        OriginGrantType = OriginGrantType,
    };
}
