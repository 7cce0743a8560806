using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Pages.Applications;

public sealed class ApplicationsModel(IGatehouseStore store) : DashboardPageModel
{
    public sealed record Row(Client Client, IReadOnlyList<string> Connections);

    public IReadOnlyList<Row> Applications { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        var connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        Applications = (await store.ListClientsAsync(PageRequest.All, ct)).Items.Where(c => !c.IsGlobal)
            .Select(c => new Row(c, connections.Where(x => x.EnabledClients.Contains(c.ClientId)).Select(x => x.Name).ToList()))
            .ToList();
    }
}
