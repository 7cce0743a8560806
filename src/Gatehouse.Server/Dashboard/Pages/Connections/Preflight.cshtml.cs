using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Connections;

/// <summary>
/// Preflight of a connection that can check itself (<see cref="IPreflightConnection"/>; Azure AD: tenant reachable, app
/// registrations as it reports them). Runs on each visit.
/// </summary>
public sealed class PreflightModel(IGatehouseStore store, ConnectionCache cache) : DashboardPageModel
{
    public Connection Connection { get; private set; } = null!;

    public PreflightReport Report { get; private set; } = null!;

    /// <summary>The identity provider as the strategy names it, for the page's sentences.</summary>
    public string Provider { get; private set; } = "";

    /// <summary>The connection's edit page, in its strategy's dashboard section; null when the strategy has none.</summary>
    public string? EditPath { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (id.Length > 128 || await store.GetConnectionAsync(id, HttpContext.RequestAborted) is not { } connection
            || cache.Get(connection) is not IPreflightConnection live)
            return NotFound();
        Connection = connection;
        var descriptor = cache.FindStrategy(connection.Strategy)!.Descriptor;
        Provider = descriptor.DisplayName;
        EditPath = descriptor.DashboardSection is { } section ? $"/dashboard/connections/{section}/edit/{connection.Id}" : null;
        Report = await live.PreflightAsync(HttpContext.RequestAborted);
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
