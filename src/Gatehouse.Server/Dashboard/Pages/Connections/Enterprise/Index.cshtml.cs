using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;

namespace Gatehouse.Server.Dashboard.Pages.Connections.Enterprise;

public sealed class EnterpriseConnectionsModel(IGatehouseStore store, ConnectionCache strategies, ConnectionEditor editor) : DashboardPageModel
{
    public sealed record Row(Connection Connection, string? Domain, string? AppId, string? ClientId, string Extras);

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync()
    {
        var connections = (await store.ListConnectionsAsync(new ConnectionQuery([strategies.StrategyOf("enterprise") ?? ""], null, PageRequest.All), HttpContext.RequestAborted)).Items;
        Rows = connections.Select(c =>
        {
            var o = editor.CurrentOptions(c);
            string? S(string name) => o[name] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            bool B(string name) => o[name] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<bool>(out var b) && b;
            var extras = string.Join(" + ", new[] { B("ext_profile") ? "profile" : null, B("ext_groups") ? "groups" : null }.Where(x => x is not null));
            return new Row(c, S("tenant_domain") ?? S("domain") ?? S("tenantId"), S("app_id"), S("client_id"), extras.Length == 0 ? "basic" : extras);
        }).ToList();
    }
}
