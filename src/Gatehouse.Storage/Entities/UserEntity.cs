using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;

namespace Gatehouse.Storage.Entities;

/// <summary>
/// A user row. <see cref="EmailLower"/> and <see cref="UsernameLower"/> are the identifier keys
/// (<see cref="IdentifierNormalizer.Key"/>: NFKC and lower case), computed in .NET (not by the database, whose case
/// folding depends on its locale) so lookups and the per-connection unique indexes treat case and compatibility
/// forms the same way on every backend; the record keeps the original spelling.
/// </summary>
internal sealed class UserEntity : VersionedEntity
{
    public string UserId { get; set; } = "";
    public string ConnectionId { get; set; } = "";
    public string? Email { get; set; }
    public string? EmailLower { get; set; }
    public bool EmailVerified { get; set; }
    public string? Username { get; set; }
    public string? UsernameLower { get; set; }
    public string? PhoneNumber { get; set; }
    public string? Name { get; set; }
    public string? GivenName { get; set; }
    public string? FamilyName { get; set; }
    public string? Nickname { get; set; }
    public string? Picture { get; set; }
    public string? PasswordHash { get; set; }
    public string? ExternalKey { get; set; }
    public string Identities { get; set; } = "[]";
    public string? UserMetadata { get; set; }
    public string? AppMetadata { get; set; }
    public string? Attributes { get; set; }
    public bool Blocked { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastLogin { get; set; }
    public string? LastIp { get; set; }
    public int LoginsCount { get; set; }
    public DateTimeOffset? LastPasswordReset { get; set; }

    /// <summary>The primary user's id when this one is a linked secondary account (<see cref="User.LinkedTo"/>).</summary>
    public string? LinkedTo { get; set; }

    public static string? Normalize(string? value) => IdentifierNormalizer.KeyOrNull(value);

    public static UserEntity From(User r) => new()
    {
        UserId = r.UserId,
        ConnectionId = r.ConnectionId,
        Email = r.Email,
        EmailLower = Normalize(r.Email),
        EmailVerified = r.EmailVerified,
        Username = r.Username,
        UsernameLower = Normalize(r.Username),
        PhoneNumber = r.PhoneNumber,
        Name = r.Name,
        GivenName = r.GivenName,
        FamilyName = r.FamilyName,
        Nickname = r.Nickname,
        Picture = r.Picture,
        PasswordHash = r.PasswordHash,
        ExternalKey = r.ExternalKey,
        Identities = StoredJson.WriteList(r.Identities),
        UserMetadata = StoredJson.Write(r.UserMetadata),
        AppMetadata = StoredJson.Write(r.AppMetadata),
        Attributes = StoredJson.Write(r.Attributes),
        Blocked = r.Blocked,
        CreatedAt = r.CreatedAt,
        UpdatedAt = r.UpdatedAt,
        LastLogin = r.LastLogin,
        LastIp = r.LastIp,
        LoginsCount = r.LoginsCount,
        LastPasswordReset = r.LastPasswordReset,
        LinkedTo = r.LinkedTo,
        Version = r.Version,
    };

    public User ToRecord() => new(
        UserId, ConnectionId, Email, EmailVerified, Username, PhoneNumber, Name, GivenName, FamilyName, Nickname,
        Picture, PasswordHash, ExternalKey, StoredJson.ReadList<UserIdentity>(Identities),
        StoredJson.Read(UserMetadata), StoredJson.Read(AppMetadata), StoredJson.Read(Attributes), Blocked,
        CreatedAt, UpdatedAt, LastLogin, LastIp, LoginsCount, LastPasswordReset, Version)
    {
        LinkedTo = LinkedTo,
    };
}
