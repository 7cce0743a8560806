using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Entities;

internal sealed class RoleEntity : VersionedEntity
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>The name lowered (invariant), so name_filter matches case-insensitively alike on every backend.</summary>
    public string NameLower { get; set; } = "";
    public string? Description { get; set; }

    public static RoleEntity From(Role r) => new()
    {
        Id = r.Id,
        Name = r.Name,
        NameLower = r.Name.ToLowerInvariant(),
        Description = r.Description,
        Version = r.Version,
    };

    public Role ToRecord() => new(Id, Name, Description, Version);
}

/// <summary>One permission of a role. Rows are only inserted and deleted; Version stays 1.</summary>
internal sealed class RolePermissionEntity : VersionedEntity
{
    public string RoleId { get; set; } = "";
    public string ResourceServerIdentifier { get; set; } = "";
    public string PermissionName { get; set; } = "";

    public Permission ToRecord() => new(ResourceServerIdentifier, PermissionName);
}

/// <summary>One role assigned to one user.</summary>
internal sealed class UserRoleEntity : VersionedEntity
{
    public string UserId { get; set; } = "";
    public string RoleId { get; set; } = "";
}

/// <summary>One permission held directly by a user.</summary>
internal sealed class UserPermissionEntity : VersionedEntity
{
    public string UserId { get; set; } = "";
    public string ResourceServerIdentifier { get; set; } = "";
    public string PermissionName { get; set; } = "";

    public Permission ToRecord() => new(ResourceServerIdentifier, PermissionName);
}
