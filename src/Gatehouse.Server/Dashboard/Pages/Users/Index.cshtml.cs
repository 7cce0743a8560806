using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Pages.Users;

/// <summary>Users, searched by the start of their email, name or user id, optionally in one connection.</summary>
public sealed class UsersModel(IGatehouseStore store) : DashboardPageModel
{
    public IReadOnlyList<User> Users { get; private set; } = [];
    public IReadOnlyList<Connection> Connections { get; private set; } = [];
    public int Total { get; private set; }
    public string? Query { get; private set; }
    public string? ConnectionName { get; private set; }

    public string ConnectionOf(User user) => Connections.FirstOrDefault(c => c.Id == user.ConnectionId)?.Name ?? "";

    public async Task OnGetAsync(string? q, string? connection)
    {
        (Query, ConnectionName) = (string.IsNullOrWhiteSpace(q) ? null : q.Trim(), string.IsNullOrEmpty(connection) ? null : connection);
        var ct = HttpContext.RequestAborted;
        Connections = (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        Filter? filter = Query is null ? null : new Filter.Or(
            new Filter.Or(new Filter.Match("email", Query, MatchKind.Prefix), new Filter.Match("name", Query, MatchKind.Prefix)),
            new Filter.Or(new Filter.Match("user_id", Query, MatchKind.Prefix), new Filter.Match("username", Query, MatchKind.Prefix)));
        var page = await store.ListUsersAsync(new UserQuery(filter, ConnectionName, "last_login", true, new PageRequest(0, 100)), ct);
        (Users, Total) = (page.Items, page.Total);
    }
}
