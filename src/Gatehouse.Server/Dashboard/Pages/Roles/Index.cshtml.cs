using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Roles;

/// <summary>Auth0's roles: the list and a form that creates one (<see cref="RoleAdmin"/>, as POST /api/v2/roles).</summary>
public sealed class RolesModel(IGatehouseStore store, RoleAdmin admin) : DashboardPageModel
{
    /// <summary>The most roles one page lists.</summary>
    public const int Shown = 100;

    public IReadOnlyList<Role> Roles { get; private set; } = [];
    public int Total { get; private set; }
    public string Name { get; private set; } = "";
    public string Description { get; private set; } = "";

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync(string? name, string? description)
    {
        Name = name?.Trim() ?? "";
        Description = description?.Trim() ?? "";
        if (Name.Length == 0)
            Errors["name"] = "Enter a name.";
        else if (Name.Length > RoleForm.MaxName)
            Errors["name"] = $"A name has at most {RoleForm.MaxName} characters.";
        if (Description.Length > RoleForm.MaxDescription)
            Errors["description"] = $"A description has at most {RoleForm.MaxDescription} characters.";
        if (Errors.Count == 0)
        {
            try
            {
                var role = await admin.CreateAsync(Actor, Name, Description.Length == 0 ? null : Description, HttpContext.RequestAborted);
                Notice($"Role {role.Name} created.");
                return Redirect("/dashboard/roles/edit/" + role.Id);
            }
            catch (AdminException refusal) when (refusal.Refusal is AdminRefusal.Invalid or AdminRefusal.Conflict)
            {
                ShowProblems(refusal);
            }
        }
        await LoadAsync();
        return Page();
    }

    private async Task LoadAsync()
    {
        var page = await store.ListRolesAsync(new RoleQuery(null, new PageRequest(0, Shown)), HttpContext.RequestAborted);
        Roles = page.Items;
        Total = page.Total;
    }
}
