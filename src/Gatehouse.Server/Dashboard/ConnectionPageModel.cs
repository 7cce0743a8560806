using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard;

/// <summary>What the connection pages share: the applications to enable, the connection being edited, deletion.</summary>
public abstract class ConnectionPageModel(IGatehouseStore store) : DashboardPageModel
{
    protected IGatehouseStore Store => store;

    public Connection? Connection { get; protected set; }

    public IReadOnlyList<Client> Apps { get; private set; } = [];

    public IReadOnlyList<string> Enabled { get; protected set; } = [];

    protected abstract string Strategy { get; }

    protected abstract string ListPath { get; }

    /// <summary>False when an id was given but names no connection of this page's strategy.</summary>
    protected async Task<bool> LoadAsync(string? id)
    {
        var ct = HttpContext.RequestAborted;
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
