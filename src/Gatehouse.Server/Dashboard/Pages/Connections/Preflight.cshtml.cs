using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Connections;

/// <summary>Preflight of a waad connection: tenant reachable, app registrations as Azure AD reports them (runs on each visit).</summary>
public sealed class PreflightModel(IGatehouseStore store, ConnectionCache cache) : DashboardPageModel
{
    public Connection Connection { get; private set; } = null!;

    public WaadPreflightReport Report { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (id.Length > 128 || await store.GetConnectionAsync(id, HttpContext.RequestAborted) is not { Strategy: WaadConnectionStrategy.StrategyName } connection
            || cache.FindStrategy(WaadConnectionStrategy.StrategyName) is not WaadConnectionStrategy waad)
            return NotFound();
        Connection = connection;
        Report = await waad.PreflightAsync(connection, HttpContext.RequestAborted);
        return Page();
    }

    public static (string Css, string Text) Badge(PreflightStatus status) => status switch
    {
        PreflightStatus.Ok => ("pill ok", "OK"),
        PreflightStatus.Failed => ("pill bad", "Failed"),
        PreflightStatus.Warning => ("pill warn", "Warning"),
        _ => ("pill", "Note"),
    };
}
