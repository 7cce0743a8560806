using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;

namespace Gatehouse.Server.Dashboard.Pages;

/// <summary>Home: logins and failures over time by connection and by reason, and upstream latency, as charts.</summary>
public sealed class HomeModel(IGatehouseStore store, TimeProvider time) : DashboardPageModel
{
    public ChartWindow Window { get; private set; } = ChartWindow.Find(null);

    public LoginStatistics Stats { get; private set; } = null!;

    public int Applications { get; private set; }

    public int Connections { get; private set; }

    public int Users { get; private set; }

    public async Task OnGetAsync(string? window)
    {
        var ct = HttpContext.RequestAborted;
        Window = ChartWindow.Find(window);
        Stats = await LoginStatistics.LoadAsync(store, Window, time.GetUtcNow(), ct);
        Applications = (await store.ListClientsAsync(PageRequest.All, ct)).Items.Count(c => !c.IsGlobal);
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, new PageRequest(0, 1)), ct)).Total;
        Users = (await store.ListUsersAsync(new UserQuery(null, null, null, false, new PageRequest(0, 1)), ct)).Total;
    }
}
