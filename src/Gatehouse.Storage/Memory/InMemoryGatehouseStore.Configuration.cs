using Gatehouse.Core.Storage;
using Gatehouse.Storage.Entities;

namespace Gatehouse.Storage.Memory;

/// <summary>Tenant configuration: settings, clients, APIs, client grants and connections (each write raises ConfigurationChanged).</summary>
public partial class InMemoryGatehouseStore
{
    private readonly MemoryTable<TenantSettingsEntity> _tenant = new(t => t.Id);
    private readonly MemoryTable<ClientEntity> _clients = new(c => c.ClientId);
    private readonly MemoryTable<ResourceServerEntity> _resourceServers = new(r => r.Id, r => r.Identifier);
    private readonly MemoryTable<ClientGrantEntity> _clientGrants = new(g => g.Id, g => (g.ClientId, g.Audience));
    private readonly MemoryTable<ConnectionEntity> _connections = new(c => c.Id, c => c.Name);

    public virtual Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct) =>
        Locked(() => _tenant.Find(_ => true)?.ToRecord());

    public virtual Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Configuration(() => Save(_tenant, t => t.Id == TenantSettingsEntity.SingletonId, TenantSettingsEntity.From(settings), "Tenant settings").ToRecord());
    }

    public virtual Task<Client?> GetClientAsync(string clientId, CancellationToken ct) =>
        Locked(() => _clients.Find(c => c.ClientId == clientId)?.ToRecord());

    public virtual Task<Page<Client>> ListClientsAsync(PageRequest page, CancellationToken ct) =>
        Locked(() => PageOf(_clients.Rows.OrderBy(c => c.Seq), page, c => c.ToRecord()));

    public virtual Task<Client> CreateClientAsync(Client client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        var created = client with { Version = 1 };
        return Configuration(() => { _clients.Insert(ClientEntity.From(created), $"Client '{client.ClientId}'"); return created; });
    }

    public virtual Task<Client> UpdateClientAsync(Client client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(client);
        return Configuration(() =>
        {
            _clients.Update(c => c.ClientId == client.ClientId, ClientEntity.From(client), $"Client '{client.ClientId}'");
            return client with { Version = client.Version + 1 };
        });
    }

    public virtual Task DeleteClientAsync(string clientId, CancellationToken ct) =>
        Configuration(() => _clients.Delete(c => c.ClientId == clientId, $"Client '{clientId}'"));

    public virtual Task<ResourceServer?> GetResourceServerAsync(string id, CancellationToken ct) =>
        Locked(() => _resourceServers.Find(r => r.Id == id)?.ToRecord());

    public virtual Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct) =>
        Locked(() => _resourceServers.Find(r => r.Identifier == identifier)?.ToRecord());

    public virtual Task<Page<ResourceServer>> ListResourceServersAsync(PageRequest page, CancellationToken ct) =>
        Locked(() => PageOf(_resourceServers.Rows.OrderBy(r => r.Seq), page, r => r.ToRecord()));

    public virtual Task<ResourceServer> CreateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resourceServer);
        var created = resourceServer with { Version = 1 };
        return Configuration(() =>
        {
            _resourceServers.Insert(ResourceServerEntity.From(created), $"Resource server '{resourceServer.Identifier}'");
            return created;
        });
    }

    public virtual Task<ResourceServer> UpdateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(resourceServer);
        return Configuration(() =>
        {
            _resourceServers.Update(r => r.Id == resourceServer.Id, ResourceServerEntity.From(resourceServer), $"Resource server '{resourceServer.Id}'");
            ForgetRemovedScopes(resourceServer);
            return resourceServer with { Version = resourceServer.Version + 1 };
        });
    }

    public virtual Task DeleteResourceServerAsync(string id, CancellationToken ct) =>
        Configuration(() =>
        {
            var identifier = _resourceServers.Find(r => r.Id == id)?.Identifier;
            _resourceServers.Delete(r => r.Id == id, $"Resource server '{id}'");
            ForgetPermissionsOn(identifier!);
        });

    public virtual Task<ClientGrant?> GetClientGrantAsync(string id, CancellationToken ct) =>
        Locked(() => _clientGrants.Find(g => g.Id == id)?.ToRecord());

    public virtual Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct) =>
        Locked(() => _clientGrants.Find(g => g.ClientId == clientId && g.Audience == audience)?.ToRecord());

    public virtual Task<Page<ClientGrant>> ListClientGrantsAsync(ClientGrantQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Locked(() =>
        {
            var grants = _clientGrants.Rows;
            if (query.ClientId is { } clientId)
                grants = grants.Where(g => g.ClientId == clientId);
            if (query.Audience is { } audience)
                grants = grants.Where(g => g.Audience == audience);
            return PageOf(grants.OrderBy(g => g.Seq), query.Page, g => g.ToRecord());
        });
    }

    public virtual Task<ClientGrant> CreateClientGrantAsync(ClientGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var created = grant with { Version = 1 };
        return Configuration(() =>
        {
            _clientGrants.Insert(ClientGrantEntity.From(created), $"Client grant for '{grant.ClientId}' on '{grant.Audience}'");
            return created;
        });
    }

    public virtual Task<ClientGrant> UpdateClientGrantAsync(ClientGrant grant, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        return Configuration(() =>
        {
            _clientGrants.Update(g => g.Id == grant.Id, ClientGrantEntity.From(grant), $"Client grant '{grant.Id}'");
            return grant with { Version = grant.Version + 1 };
        });
    }

    public virtual Task DeleteClientGrantAsync(string id, CancellationToken ct) =>
        Configuration(() => _clientGrants.Delete(g => g.Id == id, $"Client grant '{id}'"));

    public virtual Task<Connection?> GetConnectionAsync(string id, CancellationToken ct) =>
        Locked(() => _connections.Find(c => c.Id == id)?.ToRecord());

    public virtual Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct) =>
        Locked(() => _connections.Find(c => c.Name == name)?.ToRecord());

    public virtual Task<Page<Connection>> ListConnectionsAsync(ConnectionQuery query, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Locked(() =>
        {
            var connections = _connections.Rows;
            if (query.Strategies is { Count: > 0 } strategies)
                connections = connections.Where(c => strategies.Contains(c.Strategy));
            if (query.Name is { } name)
                connections = connections.Where(c => c.Name == name);
            return PageOf(connections.OrderBy(c => c.Seq), query.Page, c => c.ToRecord());
        });
    }

    public virtual Task<Connection> CreateConnectionAsync(Connection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var created = connection with { Version = 1 };
        return Configuration(() => { _connections.Insert(ConnectionEntity.From(created), $"Connection '{connection.Name}'"); return created; });
    }

    public virtual Task<Connection> UpdateConnectionAsync(Connection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Configuration(() =>
        {
            _connections.Update(c => c.Id == connection.Id, ConnectionEntity.From(connection), $"Connection '{connection.Id}'");
            return connection with { Version = connection.Version + 1 };
        });
    }

    /// <summary>The connection and its users go together (one transaction on the databases, one lock here).</summary>
    public virtual Task DeleteConnectionAsync(string id, CancellationToken ct) =>
        Configuration(() =>
        {
            _connections.Delete(c => c.Id == id, $"Connection '{id}'");
            foreach (var user in _users.Rows.Where(u => u.ConnectionId == id).Select(u => u.UserId).ToList())
                ForgetUser(user);
            _users.DeleteAll(u => u.ConnectionId == id);
        });
}
