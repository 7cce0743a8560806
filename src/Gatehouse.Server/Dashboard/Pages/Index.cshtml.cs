using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Pages;

public sealed class HomeModel(IGatehouseStore store) : DashboardPageModel
{
    public int Applications { get; private set; }

    public int Connections { get; private set; }

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Applications = (await store.ListClientsAsync(PageRequest.All, ct)).Items.Count(c => !c.IsGlobal);
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Total;
    }
}
