using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Management;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Applications;

/// <summary>Creates a client with the Management API's defaults for its app_type (same rules: <see cref="ClientRules"/>, <see cref="ClientFactory"/>).</summary>
public sealed class CreateApplicationModel(IGatehouseStore store, ISecretProtector protector, TimeProvider time) : DashboardPageModel
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
        if (ClientRules.NameProblem(Name) is { } nameProblem)
            Errors["name"] = Name.Length == 0 ? "Enter a name." : nameProblem;
        if (ClientRules.OneOfProblem("app_type", AppType, ClientFactory.AppTypes) is not null)
            Errors["app_type"] = "Choose an application type.";
        if (Errors.Count > 0)
            return Page();
        var method = ClientFactory.DefaultAuthMethod(AppType);
        var (client, secret) = ClientFactory.Create(protector, time, Name, AppType, method, ClientRules.DefaultGrantTypes(AppType, method));
        var created = await store.CreateClientAsync(client, HttpContext.RequestAborted);
        Notice(secret is null ? $"Application {created.Name} created." : $"Application {created.Name} created. Its client secret is shown on this page.");
        return Redirect($"/dashboard/applications/edit/{created.ClientId}");
    }
}
