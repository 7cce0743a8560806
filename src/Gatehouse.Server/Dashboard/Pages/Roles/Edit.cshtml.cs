using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Roles;

/// <summary>
/// One role: its name and description, its permissions per API (only scopes an API defines can be added), the users
/// who have it; delete. Every change through <see cref="RoleAdmin"/>, as the equivalent /api/v2/roles call.
/// </summary>
public sealed class EditRoleModel(IGatehouseStore store, RoleAdmin admin) : DashboardPageModel
{
    /// <summary>The most members the page lists.</summary>
    public const int MembersShown = 100;

    public Role Role { get; private set; } = null!;
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";
    public IReadOnlyList<DescribedPermission> Permissions { get; private set; } = [];
    public IReadOnlyList<ResourceServer> Apis { get; private set; } = [];
    public IReadOnlyList<User> Members { get; private set; } = [];
    public int MemberCount { get; private set; }
    public string MemberId { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnPostSaveAsync(string id, string? name, string? description)
    {
        if (!await LoadAsync(id))
            return NotFound();
        Name = name?.Trim() ?? "";
        Description = description?.Trim() ?? "";
        if (Name.Length == 0)
            Errors["name"] = "Enter a name.";
        else if (Name.Length > RoleForm.MaxName)
            Errors["name"] = $"A name has at most {RoleForm.MaxName} characters.";
        if (Description.Length > RoleForm.MaxDescription)
            Errors["description"] = $"A description has at most {RoleForm.MaxDescription} characters.";
        if (Errors.Count > 0)
            return Page();
        return await ChangeAsync(() => admin.UpdateAsync(Actor, Role, Name, Description, HttpContext.RequestAborted), "Role saved.");
    }

    public async Task<IActionResult> OnPostAddPermissionAsync(string id, string? permission)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (RoleForm.Parse(permission) is not { } chosen)
        {
            Errors["permission"] = "Choose a permission.";
            return Page();
        }
        return await ChangeAsync(() => admin.AddRolePermissionsAsync(Actor, Role.Id, [chosen], HttpContext.RequestAborted), "Permission added.",
            field => field.StartsWith("permissions[", StringComparison.Ordinal) ? "permission" : field);
    }

    public async Task<IActionResult> OnPostRemovePermissionAsync(string id, string? permission)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (RoleForm.Parse(permission) is not { } chosen)
            return BadRequest();
        return await ChangeAsync(() => admin.RemoveRolePermissionsAsync(Actor, Role.Id, [chosen], HttpContext.RequestAborted), "Permission removed.");
    }

    public async Task<IActionResult> OnPostAddUserAsync(string id, string? userId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        MemberId = userId?.Trim() ?? "";
        if (MemberId.Length == 0)
        {
            Errors["userId"] = "Enter a user id.";
            return Page();
        }
        try
        {
            await admin.AssignUsersAsync(Actor, Role.Id, [MemberId], HttpContext.RequestAborted);
        }
        catch (AdminException refusal) when (refusal.Refusal == AdminRefusal.NotFound)
        {
            Errors["userId"] = "No user has this id.";
            return Page();
        }
        Notice("User added to the role.");
        return Redirect("/dashboard/roles/edit/" + Role.Id);
    }

    public async Task<IActionResult> OnPostRemoveUserAsync(string id, string? userId)
    {
        if (!await LoadAsync(id))
            return NotFound();
        if (string.IsNullOrEmpty(userId))
            return BadRequest();
        return await ChangeAsync(() => admin.RemoveRolesAsync(Actor, userId, [Role.Id], HttpContext.RequestAborted), "User removed from the role.");
    }

    public async Task<IActionResult> OnPostDeleteAsync(string id)
    {
        if (!await LoadAsync(id))
            return NotFound();
        await admin.DeleteAsync(Actor, Role.Id, HttpContext.RequestAborted);
        Notice($"Role {Role.Name} deleted.");
        return Redirect("/dashboard/roles");
    }

    /// <summary>Runs one change; a refusal is shown beside its field and the page shows what is stored.</summary>
    private async Task<IActionResult> ChangeAsync(Func<Task> change, string notice, Func<string, string>? fieldOf = null)
    {
        try
        {
            await change();
        }
        catch (AdminException refusal) when (refusal.Refusal is AdminRefusal.Invalid or AdminRefusal.Conflict or AdminRefusal.NotFound)
        {
            ShowProblems(refusal, fieldOf);
            return Page();
        }
        Notice(notice);
        return Redirect("/dashboard/roles/edit/" + Role.Id);
    }

    private async Task<bool> LoadAsync(string id)
    {
        var ct = HttpContext.RequestAborted;
        if (id.Length > 64 || await store.GetRoleAsync(id, ct) is not { } role)
            return false;
        Role = role;
        Name = role.Name;
        Description = role.Description ?? "";
        Permissions = await admin.DescribeAsync((await store.ListRolePermissionsAsync(role.Id, PageRequest.All, ct)).Items, ct);
        Apis = (await store.ListResourceServersAsync(PageRequest.All, ct)).Items.Where(a => a.Scopes.Count > 0).ToList();
        var members = await store.ListRoleUsersAsync(role.Id, new PageRequest(0, MembersShown), ct);
        (Members, MemberCount) = (members.Items, members.Total);
        return true;
    }
}
