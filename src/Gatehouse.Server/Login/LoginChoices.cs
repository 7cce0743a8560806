using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Login;

/// <summary>A connection the login page offers: its definition and its live object.</summary>
internal sealed record LoginConnection<TLive>(Connection Definition, TLive Live) where TLive : IConnection
{
    /// <summary>What the button says after "Continue with".</summary>
    public string Label => string.IsNullOrWhiteSpace(Definition.DisplayName) ? Definition.Name : Definition.DisplayName;
}

/// <summary>
/// How a user may sign in to the transaction's client: the database connection (the first enabled one that keeps its
/// users' passwords) and every enabled connection with its own sign-in page. With <c>connection=</c> only that one.
/// </summary>
internal sealed record LoginChoices(
    LoginConnection<IPasswordOwningConnection>? Database, IReadOnlyList<LoginConnection<IRedirectConnection>> Redirects)
{
    /// <summary>Home realm discovery is on when a redirect connection claims email domains: the page asks for the email first.</summary>
    public bool IdentifierFirst => Redirects.Any(r => r.Live.HomeRealmDomains.Count > 0);

    public static async Task<LoginChoices> ForAsync(AuthorizationRequest request, IConnectionStore store, ConnectionCache connections, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        IEnumerable<Connection> enabled = request.Connection is { Length: <= 128 } named
            ? await store.GetConnectionByNameAsync(named, ct) is { } one ? [one] : []
            : (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items;
        LoginConnection<IPasswordOwningConnection>? database = null;
        var redirects = new List<LoginConnection<IRedirectConnection>>();
        foreach (var definition in enabled.Where(c => c.EnabledClients.Contains(request.ClientId)))
        {
            switch (connections.Get(definition))
            {
                case IRedirectConnection redirect:
                    redirects.Add(new(definition, redirect));
                    break;
                case IPasswordOwningConnection owning when database is null:
                    database = new(definition, owning);
                    break;
            }
        }
        return new LoginChoices(database, redirects);
    }

    /// <summary>The redirect connection whose home realm holds this email's domain (exact, case-insensitive), or null.</summary>
    public LoginConnection<IRedirectConnection>? HomeRealm(string email)
    {
        var at = email.LastIndexOf('@');
        if (at < 0 || at == email.Length - 1)
            return null;
        var domain = email[(at + 1)..].Trim();
        return Redirects.FirstOrDefault(r => r.Live.HomeRealmDomains.Any(d => string.Equals(d, domain, StringComparison.OrdinalIgnoreCase)));
    }
}
