using Gatehouse.Connections.Database;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;

namespace Gatehouse.Server.Dashboard.Pages.Connections.Database;

public sealed class DatabaseConnectionsModel(IGatehouseStore store, ConnectionCache strategies) : DashboardPageModel
{
    public IReadOnlyList<Connection> Connections { get; private set; } = [];

    public string DefaultDirectory { get; private set; } = "";

    public string Policy(Connection connection) => DatabaseConnectionOptions.Parse(connection.Options).PasswordPolicy;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery([strategies.StrategyOf("database") ?? ""], null, PageRequest.All), ct)).Items;
        DefaultDirectory = (await store.GetTenantSettingsAsync(ct))?.DefaultDirectory ?? "";
    }
}
