namespace Gatehouse.Core.Storage;

// Auth0's role-based access control: roles, the API permissions a role or a user holds, and who holds which role.
// A permission names one scope of one resource server (by its identifier, the audience); nothing else is stored.

/// <summary>A role: id "rol_" + 16 alphanumerics, as Auth0's; the name is unique.</summary>
public sealed record Role(string Id, string Name, string? Description, long Version);

/// <summary>One scope of one API, held by a role or directly by a user.</summary>
public sealed record Permission(string ResourceServerIdentifier, string PermissionName);

/// <summary>A list of roles: <paramref name="NameFilter"/> matches anywhere in the name, case-insensitively.</summary>
public sealed record RoleQuery(string? NameFilter, PageRequest Page);

/// <summary>A permission a user holds and where from: directly (<paramref name="RoleId"/> null) or through a role.</summary>
public sealed record UserPermission(Permission Permission, string? RoleId, string? RoleName);
