namespace Gatehouse.Core.Storage;

/// <summary>
/// Everything Gatehouse persists. Rules every backend follows (and the conformance suite checks):
/// <list type="bullet">
/// <item>Get*/Find* return null when absent.</item>
/// <item>Create* throws <see cref="StoreException"/> AlreadyExists on a taken key or unique value
/// (client id, connection name, resource-server identifier, (client, audience) grant, user id,
/// (connection, email), (connection, username)); it stores the record with Version 1 and returns it.</item>
/// <item>Update* takes the record as read; if the stored Version differs it throws Conflict (no last-writer-wins),
/// else it stores the record with Version + 1 and returns it. NotFound when absent.</item>
/// <item>Delete* throws NotFound when absent.</item>
/// <item>Lists are ordered by creation (oldest first) unless the query says otherwise; logs newest first.</item>
/// </list>
/// </summary>
public interface IGatehouseStore
{
    /// <summary>
    /// Raised after this store instance wrote tenant configuration (tenant settings, a client, resource server, client
    /// grant or connection), so per-node caches (<see cref="ConfigCache"/>) drop what they hold at once. Other nodes'
    /// writes are not seen here; their caches expire. A backend that keeps the default (never raised) should be used with
    /// the cache off (ConfigCacheOptions.Seconds = 0).
    /// </summary>
    event Action? ConfigurationChanged { add { } remove { } }

    Task<TenantSettings?> GetTenantSettingsAsync(CancellationToken ct);

    /// <summary>Creates the settings when Version is 0 and none exist; otherwise an optimistic update.</summary>
    Task<TenantSettings> SaveTenantSettingsAsync(TenantSettings settings, CancellationToken ct);

    /// <summary>The attack-protection settings of one kind, or null while they are Auth0's defaults.</summary>
    Task<ProtectionSettings?> GetProtectionSettingsAsync(string kind, CancellationToken ct);

    /// <summary>Creates the kind's settings when Version is 0 (Conflict when they exist); otherwise an optimistic update.</summary>
    Task<ProtectionSettings> SaveProtectionSettingsAsync(ProtectionSettings settings, CancellationToken ct);

    Task<Client?> GetClientAsync(string clientId, CancellationToken ct);
    Task<Page<Client>> ListClientsAsync(PageRequest page, CancellationToken ct);
    Task<Client> CreateClientAsync(Client client, CancellationToken ct);
    Task<Client> UpdateClientAsync(Client client, CancellationToken ct);
    Task DeleteClientAsync(string clientId, CancellationToken ct);

    Task<ResourceServer?> GetResourceServerAsync(string id, CancellationToken ct);
    Task<ResourceServer?> GetResourceServerByIdentifierAsync(string identifier, CancellationToken ct);
    Task<Page<ResourceServer>> ListResourceServersAsync(PageRequest page, CancellationToken ct);
    Task<ResourceServer> CreateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct);
    Task<ResourceServer> UpdateResourceServerAsync(ResourceServer resourceServer, CancellationToken ct);
    Task DeleteResourceServerAsync(string id, CancellationToken ct);

    Task<ClientGrant?> GetClientGrantAsync(string id, CancellationToken ct);
    Task<ClientGrant?> FindClientGrantAsync(string clientId, string audience, CancellationToken ct);
    Task<Page<ClientGrant>> ListClientGrantsAsync(ClientGrantQuery query, CancellationToken ct);
    Task<ClientGrant> CreateClientGrantAsync(ClientGrant grant, CancellationToken ct);
    Task<ClientGrant> UpdateClientGrantAsync(ClientGrant grant, CancellationToken ct);
    Task DeleteClientGrantAsync(string id, CancellationToken ct);

    Task<Connection?> GetConnectionAsync(string id, CancellationToken ct);
    Task<Connection?> GetConnectionByNameAsync(string name, CancellationToken ct);
    Task<Page<Connection>> ListConnectionsAsync(ConnectionQuery query, CancellationToken ct);
    Task<Connection> CreateConnectionAsync(Connection connection, CancellationToken ct);
    Task<Connection> UpdateConnectionAsync(Connection connection, CancellationToken ct);

    /// <summary>Deletes the connection and every user whose ConnectionId is this connection.</summary>
    Task DeleteConnectionAsync(string id, CancellationToken ct);

    Task<User?> GetUserAsync(string userId, CancellationToken ct);
    Task<User?> FindUserByEmailAsync(string connectionId, string email, CancellationToken ct);
    Task<User?> FindUserByUsernameAsync(string connectionId, string username, CancellationToken ct);
    Task<User?> FindUserByExternalKeyAsync(string connectionId, string externalKey, CancellationToken ct);
    Task<IReadOnlyList<User>> ListUsersByEmailAsync(string email, CancellationToken ct);
    Task<Page<User>> ListUsersAsync(UserQuery query, CancellationToken ct);
    Task<User> CreateUserAsync(User user, CancellationToken ct);
    Task<User> UpdateUserAsync(User user, CancellationToken ct);
    Task DeleteUserAsync(string userId, CancellationToken ct);

    /// <summary>
    /// Counts one login: last_login, last_ip (when given) and logins_count + 1, and bumps Version so a writer holding
    /// the older version gets Conflict. Unlike UpdateUserAsync it never conflicts itself: logins of one user running
    /// at once each count. Returns the user as it now is, or the given one when it was deleted meanwhile. This default
    /// reads and writes; a backend does it in one statement (it is on every login's path).
    /// </summary>
    async Task<User> RecordLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        for (var attempt = 0; attempt < 10; attempt++)
        {
            try
            {
                return await UpdateUserAsync(user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1 }, ct);
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict)
            {
                user = await GetUserAsync(user.UserId, ct) ?? user;
            }
            catch (StoreException e) when (e.Error == StoreError.NotFound)
            {
                return user;
            }
        }
        return user;
    }

    /// <summary>
    /// Stores <paramref name="user"/> like <see cref="UpdateUserAsync"/> (Conflict on a stale Version, NotFound when
    /// absent) and counts one login in the same write: last_login = <paramref name="at"/>, last_ip (when given),
    /// logins_count + 1. The returning federated user's path: the profile and the statistics in one round trip.
    /// This default writes once through UpdateUserAsync; a backend does it in one statement.
    /// </summary>
    Task<User> UpdateUserOnLoginAsync(User user, DateTimeOffset at, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return UpdateUserAsync(user with { LastLogin = at, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1 }, ct);
    }

    Task<IReadOnlyList<SigningKey>> ListSigningKeysAsync(CancellationToken ct);
    Task<SigningKey> CreateSigningKeyAsync(SigningKey key, CancellationToken ct);
    Task<SigningKey> UpdateSigningKeyAsync(SigningKey key, CancellationToken ct);

    Task<RefreshToken?> GetRefreshTokenAsync(string tokenHash, CancellationToken ct);
    Task<RefreshToken> CreateRefreshTokenAsync(RefreshToken token, CancellationToken ct);
    Task<RefreshToken> UpdateRefreshTokenAsync(RefreshToken token, CancellationToken ct);

    /// <summary>Marks every unrevoked token of the family revoked at <paramref name="at"/>; returns how many.</summary>
    Task<int> RevokeRefreshTokenFamilyAsync(string familyId, DateTimeOffset at, CancellationToken ct);

    Task AppendLogAsync(LogEvent logEvent, CancellationToken ct);
    Task<LogEvent?> GetLogAsync(string logId, CancellationToken ct);
    Task<Page<LogEvent>> ListLogsAsync(LogQuery query, CancellationToken ct);
}
