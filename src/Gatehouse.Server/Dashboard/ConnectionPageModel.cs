using Gatehouse.Core.Admin;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard;

/// <summary>
/// What a strategy's connection pages share: the applications to enable, the connection being edited, deletion. A page
/// names its <see cref="Section"/>; the strategy it edits is the one whose descriptor names that section.
/// </summary>
public abstract class ConnectionPageModel(IGatehouseStore store, ConnectionCache strategies) : DashboardPageModel
{
    protected IGatehouseStore Store => store;

    public Connection? Connection { get; protected set; }

    public IReadOnlyList<Client> Apps { get; private set; } = [];

    public IReadOnlyList<string> Enabled { get; protected set; } = [];

    /// <summary>The page's <see cref="StrategyDescriptor.DashboardSection"/>: its pages are under /dashboard/connections/{section}.</summary>
    protected abstract string Section { get; }

    /// <summary>The strategy whose descriptor names <see cref="Section"/> ("" when none is registered: every page is then 404).</summary>
    protected string Strategy => strategies.StrategyOf(Section) ?? "";

    protected string ListPath => "/dashboard/connections/" + Section;

    /// <summary>False when no strategy has this page, or an id was given but names no connection of its strategy.</summary>
    protected async Task<bool> LoadAsync(string? id)
    {
        var ct = HttpContext.RequestAborted;
        if (Strategy.Length == 0)
            return false;
        Apps = (await store.ListClientsAsync(PageRequest.All, ct)).Items.Where(c => !c.IsGlobal).ToList();
        if (id is null)
            return true;
        Connection = id.Length <= 128 ? await store.GetConnectionAsync(id, ct) : null;
        if (Connection is null || Connection.Strategy != Strategy)
            return false;
        Enabled = Connection.EnabledClients;
        return true;
    }

    /// <summary>Only ids of existing applications are kept from a posted list.</summary>
    protected IReadOnlyList<string> KnownApps(string[]? posted) =>
        (posted ?? []).Distinct(StringComparer.Ordinal).Where(id => Apps.Any(a => a.ClientId == id)).ToList();

    public async Task<IActionResult> OnPostDeleteAsync(string? id, [FromServices] ConnectionAdmin admin)
    {
        ArgumentNullException.ThrowIfNull(admin);
        if (id is null || !await LoadAsync(id))
            return NotFound();
        await admin.DeleteAsync(Actor, Connection!.Id, HttpContext.RequestAborted);
        Notice($"Connection {Connection.Name} deleted, with its users.");
        return Redirect(ListPath);
    }
}
