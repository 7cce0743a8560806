using Gatehouse.Core.Admin;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Applications;

/// <summary>Creates a client with the Management API's defaults for its app_type (<see cref="ClientAdmin"/>).</summary>
public sealed class CreateApplicationModel(ClientAdmin admin) : DashboardPageModel
{
    public string Name { get; private set; } = "";

    public string AppType { get; private set; } = "native";

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(string? name, string? appType)
    {
        Name = name?.Trim() ?? "";
        AppType = appType ?? "";
        // The form's own words for its two fields; the admin layer checks them again.
        if (Name.Length == 0)
            Errors["name"] = "Enter a name.";
        if (ClientRules.OneOfProblem("app_type", AppType, ClientFactory.AppTypes) is not null)
            Errors["app_type"] = "Choose an application type.";
        if (Errors.Count > 0)
            return Page();
        try
        {
            var (created, secret) = await admin.CreateAsync(Actor, new ClientDraft(Name) { AppType = AppType }, HttpContext.RequestAborted);
            Notice(secret is null ? $"Application {created.Name} created." : $"Application {created.Name} created. Its client secret is shown on this page.");
            return Redirect($"/dashboard/applications/edit/{created.ClientId}");
        }
        catch (AdminException refusal) when (refusal.Refusal == AdminRefusal.Invalid)
        {
            ShowProblems(refusal);
            return Page();
        }
    }
}
