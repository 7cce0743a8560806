namespace Gatehouse.Core.Membership;

/// <summary>One group a user belongs to at their directory: its object id and, when the directory said, its display name.</summary>
public sealed record DirectoryGroup(string Id, string? DisplayName);

/// <summary>
/// What a user's directory (Azure AD) said about them at their last login, as the connection normalized it: groups, app
/// roles and the few attributes claims and access rules may name. Read from the stored user by the connection
/// (<see cref="Connections.IDirectoryConnection"/>), so a refresh sees what the last login saw.
/// </summary>
/// <param name="GroupsIncomplete">The directory had more groups than the connection fetched (<c>max_groups_to_retrieve</c>).</param>
public sealed record DirectoryProfile(
    IReadOnlyList<DirectoryGroup> Groups,
    bool GroupsIncomplete,
    IReadOnlyList<string> AppRoles,
    string? Upn,
    string? TenantId,
    string? ObjectId,
    string? JobTitle,
    string? Department)
{
    public static readonly DirectoryProfile Empty = new([], false, [], null, null, null, null, null);
}
