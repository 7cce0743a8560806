using Gatehouse.Core.Administrators;

namespace Gatehouse.Storage.Entities;

internal sealed class AdministratorEntity : VersionedEntity
{
    public string Id { get; set; } = "";
    public string Email { get; set; } = "";
    public string PasswordHash { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastLogin { get; set; }

    public static AdministratorEntity From(Administrator r) => new()
    {
        Id = r.Id,
        Email = r.Email,
        PasswordHash = r.PasswordHash,
        CreatedAt = r.CreatedAt,
        LastLogin = r.LastLogin,
        Version = r.Version,
    };

    public Administrator ToRecord() => new(Id, Email, PasswordHash, CreatedAt, LastLogin, Version);
}
