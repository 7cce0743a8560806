using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tests.Fakes;

/// <summary>A small IGatehouseStore for unit tests: the store rules (versions, AlreadyExists, NotFound) without a database.</summary>
public sealed class InMemoryStore : IGatehouseStore
{
    private readonly Lock _lock = new();
    private TenantSettings? _tenant;
    private readonly Dictionary<string, ProtectionSettings> _protection = new(StringComparer.Ordinal);
    public List<Client> Clients { get; } = [];
    public List<ResourceServer> ResourceServers { get; } = [];
    public List<ClientGrant> ClientGrants { get; } = [];
    public List<Connection> Connections { get; } = [];
    public List<User> Users { get; } = [];
    public List<SigningKey> SigningKeys { get; } = [];
    public List<RefreshToken> RefreshTokens { get; } = [];
    public List<LogEvent> Logs { get; } = [];

    /// <summary>Every store call by name, in order (lets tests assert what a step looked up).</summary>
    public List<string> Calls { get; } = [];

    private T Locked<T>(string call, Func<T> action)
    {
        lock (_lock)
        {
            Calls.Add(call);
            return action();
        }
    }

    private static Page<T> PageOf<T>(IEnumerable<T> items, PageRequest page)
    {
        var list = items.ToList();
        return new Page<T>(list.Skip(page.Offset).Take(page.PerPage).ToList(), list.Count);
    }

    private static T Create<T>(List<T> list, T item, Func<T, bool> clash, Func<T, T> versioned)
    {
        if (list.Any(clash))
            throw new StoreException(StoreError.AlreadyExists, "exists");
        var created = versioned(item);
        list.Add(created);
        return created;
    }

    private static T Update<T>(List<T> list, Func<T, bool> key, long version, Func<T, long> versionOf, Func<T, T> bumped)
    {
        var index = list.FindIndex(i => key(i));
        if (index < 0)
            throw new StoreException(StoreError.NotFound, "missing");
        if (versionOf(list[index]) != version)
            throw new StoreException(StoreError.Conflict, "conflict");
        return list[index] = bumped(list[index]);
    }

    private static void Delete<T>(List<T> list, Func<T, bool> key)
    {
        if (list.RemoveAll(i => key(i)) == 0)
            throw new StoreException(StoreError.NotFound, "missing");
    }

    public Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct) => Task.FromResult(Locked(nameof(GetTenantSettingsAsync), () => _tenant));

    public Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken ct) => Task.FromResult(Locked(nameof(SaveTenantSettingsAsync), () =>
    {
        if ((_tenant?.Version ?? 0) != settings.Version)
            throw new StoreException(StoreError.Conflict, "conflict");
        return _tenant = settings with { Version = settings.Version + 1 };
    }));

    public Task<ProtectionSettings?> GetProtectionSettingsAsync(string kind, CancellationToken ct) =>
        Task.FromResult(Locked(nameof(GetProtectionSettingsAsync), () => _protection.GetValueOrDefault(kind)));

    public Task<ProtectionSettings> SaveProtectionSettingsAsync(ProtectionSettings settings, CancellationToken ct) => Task.FromResult(Locked(nameof(SaveProtectionSettingsAsync), () =>
    {
        if ((_protection.GetValueOrDefault(settings.Kind)?.Version ?? 0) != settings.Version)
            throw new StoreException(StoreError.Conflict, "conflict");
        return _protection[settings.Kind] = settings with { Version = settings.Version + 1 };
    }));

    public Task<Client?> GetClientAsync(string clientId, CancellationToken ct) => Task.FromResult(Locked(nameof(GetClientAsync), () => Clients.FirstOrDefault(c => c.ClientId == clientId)));
    public Task<Page<Client>> ListClientsAsync(PageRequest page, CancellationToken ct) => Task.FromResult(Locked(nameof(ListClientsAsync), () => PageOf(Clients, page)));
    public Task<Client> CreateClientAsync(Client client, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateClientAsync), () => Create(Clients, client, c => c.ClientId == client.ClientId, c => c with { Version = 1 })));
    public Task<Client> UpdateClientAsync(Client client, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateClientAsync), () => Update(Clients, c => c.ClientId == client.ClientId, client.Version, c => c.Version, _ => client with { Version = client.Version + 1 })));
    public Task DeleteClientAsync(string clientId, CancellationToken ct) => Task.FromResult(Locked(nameof(DeleteClientAsync), () => { Delete(Clients, c => c.ClientId == clientId); return 0; }));

    public Task<ResourceServer?> GetResourceServerAsync(string id, CancellationToken ct) => Task.FromResult(Locked(nameof(GetResourceServerAsync), () => ResourceServers.FirstOrDefault(r => r.Id == id)));
    public Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct) => Task.FromResult(Locked(nameof(GetResourceServerByIdentifierAsync), () => ResourceServers.FirstOrDefault(r => r.Identifier == identifier)));
    public Task<Page<ResourceServer>> ListResourceServersAsync(PageRequest page, CancellationToken ct) => Task.FromResult(Locked(nameof(ListResourceServersAsync), () => PageOf(ResourceServers, page)));
    public Task<ResourceServer> CreateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateResourceServerAsync), () => Create(ResourceServers, resourceServer, r => r.Id == resourceServer.Id || r.Identifier == resourceServer.Identifier, r => r with { Version = 1 })));
    public Task<ResourceServer> UpdateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateResourceServerAsync), () => Update(ResourceServers, r => r.Id == resourceServer.Id, resourceServer.Version, r => r.Version, _ => resourceServer with { Version = resourceServer.Version + 1 })));
    public Task DeleteResourceServerAsync(string id, CancellationToken ct) => Task.FromResult(Locked(nameof(DeleteResourceServerAsync), () => { Delete(ResourceServers, r => r.Id == id); return 0; }));

    public Task<ClientGrant?> GetClientGrantAsync(string id, CancellationToken ct) => Task.FromResult(Locked(nameof(GetClientGrantAsync), () => ClientGrants.FirstOrDefault(g => g.Id == id)));
    public Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct) => Task.FromResult(Locked(nameof(FindClientGrantAsync), () => ClientGrants.FirstOrDefault(g => g.ClientId == clientId && g.Audience == audience)));
    public Task<Page<ClientGrant>> ListClientGrantsAsync(ClientGrantQuery query, CancellationToken ct) => Task.FromResult(Locked(nameof(ListClientGrantsAsync), () => PageOf(ClientGrants.Where(g => (query.ClientId is null || g.ClientId == query.ClientId) && (query.Audience is null || g.Audience == query.Audience)), query.Page)));
    public Task<ClientGrant> CreateClientGrantAsync(ClientGrant grant, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateClientGrantAsync), () => Create(ClientGrants, grant, g => g.Id == grant.Id || (g.ClientId == grant.ClientId && g.Audience == grant.Audience), g => g with { Version = 1 })));
    public Task<ClientGrant> UpdateClientGrantAsync(ClientGrant grant, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateClientGrantAsync), () => Update(ClientGrants, g => g.Id == grant.Id, grant.Version, g => g.Version, _ => grant with { Version = grant.Version + 1 })));
    public Task DeleteClientGrantAsync(string id, CancellationToken ct) => Task.FromResult(Locked(nameof(DeleteClientGrantAsync), () => { Delete(ClientGrants, g => g.Id == id); return 0; }));

    public Task<Connection?> GetConnectionAsync(string id, CancellationToken ct) => Task.FromResult(Locked(nameof(GetConnectionAsync), () => Connections.FirstOrDefault(c => c.Id == id)));
    public Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct) => Task.FromResult(Locked(nameof(GetConnectionByNameAsync), () => Connections.FirstOrDefault(c => c.Name == name)));
    public Task<Page<Connection>> ListConnectionsAsync(ConnectionQuery query, CancellationToken ct) => Task.FromResult(Locked(nameof(ListConnectionsAsync), () => PageOf(Connections.Where(c => (query.Name is null || c.Name == query.Name) && (query.Strategies is null || query.Strategies.Contains(c.Strategy))), query.Page)));
    public Task<Connection> CreateConnectionAsync(Connection connection, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateConnectionAsync), () => Create(Connections, connection, c => c.Id == connection.Id || c.Name == connection.Name, c => c with { Version = 1 })));
    public Task<Connection> UpdateConnectionAsync(Connection connection, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateConnectionAsync), () => Update(Connections, c => c.Id == connection.Id, connection.Version, c => c.Version, _ => connection with { Version = connection.Version + 1 })));
    public Task DeleteConnectionAsync(string id, CancellationToken ct) => Task.FromResult(Locked(nameof(DeleteConnectionAsync), () => { Delete(Connections, c => c.Id == id); Users.RemoveAll(u => u.ConnectionId == id); return 0; }));

    public Task<User?> GetUserAsync(string userId, CancellationToken ct) => Task.FromResult(Locked(nameof(GetUserAsync), () => Users.FirstOrDefault(u => u.UserId == userId)));
    public Task<User?> FindUserByEmailAsync(string connectionId, string email, CancellationToken ct) => Task.FromResult(Locked(nameof(FindUserByEmailAsync), () => Users.FirstOrDefault(u => u.ConnectionId == connectionId && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))));
    public Task<User?> FindUserByUsernameAsync(string connectionId, string username, CancellationToken ct) => Task.FromResult(Locked(nameof(FindUserByUsernameAsync), () => Users.FirstOrDefault(u => u.ConnectionId == connectionId && string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase))));
    public Task<User?> FindUserByExternalKeyAsync(string connectionId, string externalKey, CancellationToken ct) => Task.FromResult(Locked(nameof(FindUserByExternalKeyAsync), () => Users.FirstOrDefault(u => u.ConnectionId == connectionId && u.ExternalKey == externalKey)));
    public Task<IReadOnlyList<User>> ListUsersByEmailAsync(string email, CancellationToken ct) => Task.FromResult(Locked(nameof(ListUsersByEmailAsync), () => (IReadOnlyList<User>)Users.Where(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)).ToList()));
    public Task<Page<User>> ListUsersAsync(UserQuery query, CancellationToken ct) => Task.FromResult(Locked(nameof(ListUsersAsync), () =>
        query.Filter is null ? PageOf(Users, query.Page) : throw new ArgumentException("The in-memory store does not filter users.")));
    public Task<User> CreateUserAsync(User user, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateUserAsync), () => Create(Users, user,
        u => u.UserId == user.UserId || (u.ConnectionId == user.ConnectionId && ((user.Email is not null && string.Equals(u.Email, user.Email, StringComparison.OrdinalIgnoreCase)) || (user.Username is not null && string.Equals(u.Username, user.Username, StringComparison.OrdinalIgnoreCase)))),
        u => u with { Version = 1 })));
    public Task<User> UpdateUserAsync(User user, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateUserAsync), () => Update(Users, u => u.UserId == user.UserId, user.Version, u => u.Version, _ => user with { Version = user.Version + 1 })));
    public Task DeleteUserAsync(string userId, CancellationToken ct) => Task.FromResult(Locked(nameof(DeleteUserAsync), () => { Delete(Users, u => u.UserId == userId); return 0; }));

    /// <summary>When set, listing signing keys waits for it: a test can hold a reload in flight.</summary>
    public Task? SigningKeysHeld { get; set; }

    public async Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct)
    {
        var list = Locked(nameof(ListSigningKeysAsync), () => (IReadOnlyList<SigningKey>)SigningKeys.ToList());
        if (SigningKeysHeld is { } held)
            await held;
        return list;
    }
    public Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateSigningKeyAsync), () => Create(SigningKeys, key, k => k.Kid == key.Kid, k => k with { Version = 1 })));
    public Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateSigningKeyAsync), () => Update(SigningKeys, k => k.Kid == key.Kid, key.Version, k => k.Version, _ => key with { Version = key.Version + 1 })));

    public Task<RefreshToken?> GetRefreshTokenAsync(string tokenHash, CancellationToken ct) => Task.FromResult(Locked(nameof(GetRefreshTokenAsync), () => RefreshTokens.FirstOrDefault(t => t.TokenHash == tokenHash)));
    public Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct) => Task.FromResult(Locked(nameof(CreateRefreshTokenAsync), () => Create(RefreshTokens, token, t => t.TokenHash == token.TokenHash, t => t with { Version = 1 })));
    public Task<RefreshToken> UpdateRefreshTokenAsync(RefreshToken token, CancellationToken ct) => Task.FromResult(Locked(nameof(UpdateRefreshTokenAsync), () => Update(RefreshTokens, t => t.TokenHash == token.TokenHash, token.Version, t => t.Version, _ => token with { Version = token.Version + 1 })));
    public Task<int> RevokeRefreshTokenFamilyAsync(string familyId, DateTimeOffset at, CancellationToken ct) => Task.FromResult(Locked(nameof(RevokeRefreshTokenFamilyAsync), () =>
    {
        var count = 0;
        for (var i = 0; i < RefreshTokens.Count; i++)
        {
            if (RefreshTokens[i].FamilyId == familyId && RefreshTokens[i].RevokedAt is null)
            {
                RefreshTokens[i] = RefreshTokens[i] with { RevokedAt = at, Version = RefreshTokens[i].Version + 1 };
                count++;
            }
        }
        return count;
    }));

    public Task AppendLogAsync(LogEvent logEvent, CancellationToken ct) => Task.FromResult(Locked(nameof(AppendLogAsync), () => { Logs.Add(logEvent); return 0; }));
    public Task<LogEvent?> GetLogAsync(string logId, CancellationToken ct) => Task.FromResult(Locked(nameof(GetLogAsync), () => Logs.FirstOrDefault(l => l.LogId == logId)));
    public Task<Page<LogEvent>> ListLogsAsync(LogQuery query, CancellationToken ct) => Task.FromResult(Locked(nameof(ListLogsAsync), () => PageOf(Logs.OrderByDescending(l => l.LogId, StringComparer.Ordinal), query.Page)));
}
