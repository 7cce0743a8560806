namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>
/// Delegated scopes each call accepts (any one suffices). Microsoft Graph follows its documented least
/// privilege (§8.2); for Azure AD Graph memberOf the minimum is disputed (§9.3), so Directory.Read.All-class
/// scopes (or Group.Read.All) are required, as most brokers requested.
/// </summary>
internal static class GraphPermissions
{
    private static readonly string[] DirectoryRead = ["Directory.Read.All", "Directory.ReadWrite.All", "Directory.AccessAsUser.All"];

    public static readonly string[] ReadMe =
        ["User.Read", "User.ReadWrite", "User.ReadBasic.All", "User.Read.All", "User.ReadWrite.All", .. DirectoryRead];

    /// <summary>Graph /me/memberOf and /me/transitiveMemberOf: least privilege User.Read.</summary>
    public static readonly string[] ListMyGroups = [.. ReadMe, "GroupMember.Read.All", "Group.Read.All"];

    /// <summary>Graph getMemberGroups/getMemberObjects on oneself: GroupMember.Read.All or higher.</summary>
    public static readonly string[] CheckMyGroups = ["GroupMember.Read.All", "Group.Read.All", .. DirectoryRead];

    /// <summary>Reading another user's memberships, and getByIds.</summary>
    public static readonly string[] ReadDirectory = DirectoryRead;

    /// <summary>Azure AD Graph memberOf / getMemberGroups / getMemberObjects.</summary>
    public static readonly string[] AadGraphGroups = ["Group.Read.All", .. DirectoryRead];
}
