using System.Collections.Concurrent;
using Gatehouse.Core.Storage;

namespace Gatehouse.AzureAd.Tests.Fakes;

/// <summary>
/// The user part of IGatehouseStore in memory, with the store rules the connection relies on: versions and
/// Conflict, AlreadyExists on user id and (connection, email). Other record kinds are outside the waad connection.
/// </summary>
public sealed class InMemoryStore : IGatehouseStore
{
    private readonly ConcurrentDictionary<string, User> users = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    /// <summary>Make the next N updates fail with Conflict, as if another node wrote first.</summary>
    public int ConflictsToInject { get; set; }

    public int Creates { get; private set; }

    public int Updates { get; private set; }

    public IReadOnlyCollection<User> Users => [.. users.Values];

    public Task<User?> GetUserAsync(string userId, CancellationToken ct) => Task.FromResult(users.GetValueOrDefault(userId));

    public Task<User?> FindUserByEmailAsync(string connectionId, string email, CancellationToken ct) =>
        Task.FromResult(users.Values.FirstOrDefault(u => u.ConnectionId == connectionId && string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase)));

    public Task<User?> FindUserByUsernameAsync(string connectionId, string username, CancellationToken ct) =>
        Task.FromResult(users.Values.FirstOrDefault(u => u.ConnectionId == connectionId && string.Equals(u.Username, username, StringComparison.OrdinalIgnoreCase)));

    public Task<User?> FindUserByExternalKeyAsync(string connectionId, string externalKey, CancellationToken ct) =>
        Task.FromResult(users.Values.FirstOrDefault(u => u.ConnectionId == connectionId && u.ExternalKey == externalKey));

    public Task<IReadOnlyList<User>> ListUsersByEmailAsync(string email, CancellationToken ct) =>
        Task.FromResult<IReadOnlyList<User>>([.. users.Values.Where(u => string.Equals(u.Email, email, StringComparison.OrdinalIgnoreCase))]);

    public Task<User> CreateUserAsync(User user, CancellationToken ct)
    {
        lock (gate)
        {
            if (users.ContainsKey(user.UserId) || EmailTaken(user))
            {
                throw new StoreException(StoreError.AlreadyExists, "user exists");
            }

            var stored = user with { Version = 1 };
            users[user.UserId] = stored;
            Creates++;
            return Task.FromResult(stored);
        }
    }

    public Task<User> UpdateUserAsync(User user, CancellationToken ct)
    {
        lock (gate)
        {
            if (!users.TryGetValue(user.UserId, out var current))
            {
                throw new StoreException(StoreError.NotFound, "no user");
            }

            if (ConflictsToInject > 0)
            {
                ConflictsToInject--;
                users[user.UserId] = current with { Version = current.Version + 1 }; // someone else wrote
                throw new StoreException(StoreError.Conflict, "changed");
            }

            if (current.Version != user.Version)
            {
                throw new StoreException(StoreError.Conflict, "changed");
            }

            if (EmailTaken(user))
            {
                throw new StoreException(StoreError.AlreadyExists, "email taken");
            }

            var stored = user with { Version = user.Version + 1 };
            users[user.UserId] = stored;
            Updates++;
            return Task.FromResult(stored);
        }
    }

    public Task DeleteUserAsync(string userId, CancellationToken ct) =>
        users.TryRemove(userId, out _) ? Task.CompletedTask : throw new StoreException(StoreError.NotFound, "no user");

    public void Put(User user) => users[user.UserId] = user;

    private bool EmailTaken(User user) => user.Email is not null && users.Values.Any(u =>
        u.UserId != user.UserId && u.ConnectionId == user.ConnectionId && string.Equals(u.Email, user.Email, StringComparison.OrdinalIgnoreCase));

    private static NotSupportedException Outside() => new("not part of what the waad connection uses");

    public Task<Page<User>> ListUsersAsync(UserQuery query, CancellationToken ct) => throw Outside();
    public Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct) => throw Outside();
    public Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken ct) => throw Outside();
    public Task<ProtectionSettings?> GetProtectionSettingsAsync(string kind, CancellationToken ct) => throw Outside();
    public Task<ProtectionSettings> SaveProtectionSettingsAsync(ProtectionSettings settings, CancellationToken ct) => throw Outside();
    public Task<Client?> GetClientAsync(string clientId, CancellationToken ct) => throw Outside();
    public Task<Page<Client>> ListClientsAsync(PageRequest page, CancellationToken ct) => throw Outside();
    public Task<Client> CreateClientAsync(Client client, CancellationToken ct) => throw Outside();
    public Task<Client> UpdateClientAsync(Client client, CancellationToken ct) => throw Outside();
    public Task DeleteClientAsync(string clientId, CancellationToken ct) => throw Outside();
    public Task<ResourceServer?> GetResourceServerAsync(string id, CancellationToken ct) => throw Outside();
    public Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct) => throw Outside();
    public Task<Page<ResourceServer>> ListResourceServersAsync(PageRequest page, CancellationToken ct) => throw Outside();
    public Task<ResourceServer> CreateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct) => throw Outside();
    public Task<ResourceServer> UpdateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct) => throw Outside();
    public Task DeleteResourceServerAsync(string id, CancellationToken ct) => throw Outside();
    public Task<ClientGrant?> GetClientGrantAsync(string id, CancellationToken ct) => throw Outside();
    public Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct) => throw Outside();
    public Task<Page<ClientGrant>> ListClientGrantsAsync(ClientGrantQuery query, CancellationToken ct) => throw Outside();
    public Task<ClientGrant> CreateClientGrantAsync(ClientGrant grant, CancellationToken ct) => throw Outside();
    public Task<ClientGrant> UpdateClientGrantAsync(ClientGrant grant, CancellationToken ct) => throw Outside();
    public Task DeleteClientGrantAsync(string id, CancellationToken ct) => throw Outside();
    public Task<Connection?> GetConnectionAsync(string id, CancellationToken ct) => throw Outside();
    public Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct) => throw Outside();
    public Task<Page<Connection>> ListConnectionsAsync(ConnectionQuery query, CancellationToken ct) => throw Outside();
    public Task<Connection> CreateConnectionAsync(Connection connection, CancellationToken ct) => throw Outside();
    public Task<Connection> UpdateConnectionAsync(Connection connection, CancellationToken ct) => throw Outside();
    public Task DeleteConnectionAsync(string id, CancellationToken ct) => throw Outside();
    public Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct) => throw Outside();
    public Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct) => throw Outside();
    public Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct) => throw Outside();
    public Task<RefreshToken?> GetRefreshTokenAsync(string tokenHash, CancellationToken ct) => throw Outside();
    public Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct) => throw Outside();
    public Task<RefreshToken> UpdateRefreshTokenAsync(RefreshToken token, CancellationToken ct) => throw Outside();
    public Task<int> RevokeRefreshTokenFamilyAsync(string familyId, DateTimeOffset at, CancellationToken ct) => throw Outside();
    public Task AppendLogAsync(LogEvent logEvent, CancellationToken ct) => throw Outside();
    public Task<LogEvent?> GetLogAsync(string logId, CancellationToken ct) => throw Outside();
    public Task<Page<LogEvent>> ListLogsAsync(LogQuery query, CancellationToken ct) => throw Outside();
}
