namespace Gatehouse.Server.Dashboard.Pages.Roles;

/// <summary>The role form's limits: the Management API's body limits for POST and PATCH /api/v2/roles.</summary>
internal static class RoleForm
{
    public const int MaxName = 200;
    public const int MaxDescription = 2000;

    /// <summary>A permission as one form value: the API's identifier and the scope, split at the last space (a scope has none).</summary>
    public static string ValueOf(Gatehouse.Core.Storage.Permission permission) => $"{permission.ResourceServerIdentifier} {permission.PermissionName}";

    public static Gatehouse.Core.Storage.Permission? Parse(string? value)
    {
        var space = value?.LastIndexOf(' ') ?? -1;
        return space <= 0 || space == value!.Length - 1 || value.Length > 700 ? null : new(value[..space], value[(space + 1)..]);
    }
}
