using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Admin;

/// <summary>What a change sets; null leaves a value as stored.</summary>
public sealed record UserChanges
{
    public bool? EmailVerified { get; init; }
    public string? Name { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? Nickname { get; init; }
    public string? Picture { get; init; }
    public bool? Blocked { get; init; }

    /// <summary>A new password (database users only), checked against the connection's policy and stored hashed.</summary>
    public string? Password { get; init; }

    /// <summary>The metadata objects already merged with the stored ones.</summary>
    public JsonElement? UserMetadata { get; init; }

    public JsonElement? AppMetadata { get; init; }

    /// <summary>The root attributes this change sets, by their Auth0 names.</summary>
    public IReadOnlyList<string> RootAttributes =>
        new (string Name, string? Value)[] { ("name", Name), ("given_name", GivenName), ("family_name", FamilyName), ("nickname", Nickname), ("picture", Picture) }
            .Where(a => a.Value is not null).Select(a => a.Name).ToList();
}

/// <summary>
/// Every change to a user, from any door: creation through the database connection, the root-attribute and password
/// rules, blocking, deletion, and one audit event naming the actor.
/// </summary>
public sealed class UserAdmin(IGatehouseStore store, ConnectionCache cache, IPasswordHasher hasher, TimeProvider time, AdminAudit audit)
{
    public Task<User> FindAsync(string userId, CancellationToken ct) => UserLookup.FindAsync(store, userId, ct);

    /// <summary>Creates a user in a connection that keeps users (database connections).</summary>
    public async Task<User> CreateAsync(AdminActor actor, string connectionName, DatabaseUserDraft draft, CancellationToken ct)
    {
        var connection = await store.GetConnectionByNameAsync(connectionName, ct)
            ?? throw AdminException.Invalid("connection", "The connection does not exist.");
        if (cache.Get(connection) is not IPasswordOwningConnection database)
            throw AdminException.Invalid("connection", $"The connection '{connectionName}' ({connection.Strategy}) does not support creating users.");
        UserCreationResult result;
        try
        {
            result = await database.CreateUserAsync(draft, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw AdminException.Conflict("email", "The user already exists.", "auth0_idp_error");
        }
        var created = result switch
        {
            UserCreationResult.Created c => c.User,
            UserCreationResult.Invalid invalid => throw AdminException.Invalid("user", invalid.Message),
            _ => throw new InvalidOperationException("Unexpected user creation result."),
        };
        await audit.RecordAsync(actor, new AdminChange("Create a user", "post", "/api/v2/users", 201), ct);
        return created;
    }

    public async Task<User> UpdateAsync(AdminActor actor, User current, UserChanges changes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(changes);
        await CheckRootAttributesAllowedAsync(changes.RootAttributes, current, ct);
        var hash = current.PasswordHash;
        if (changes.Password is { } password)
        {
            var connection = await store.GetConnectionAsync(current.ConnectionId, ct);
            if (connection is null || cache.Get(connection) is not IPasswordOwningConnection database)
                throw AdminException.Invalid("password", "Only users of database connections have a password.");
            if (database.PasswordProblem(password) is { } problem)
                throw AdminException.Invalid("password", problem);
            hash = hasher.Hash(password);
        }
        var now = time.GetUtcNow();
        var updated = current with
        {
            EmailVerified = changes.EmailVerified ?? current.EmailVerified,
            Name = changes.Name ?? current.Name,
            GivenName = changes.GivenName ?? current.GivenName,
            FamilyName = changes.FamilyName ?? current.FamilyName,
            Nickname = changes.Nickname ?? current.Nickname,
            Picture = changes.Picture ?? current.Picture,
            Blocked = changes.Blocked ?? current.Blocked,
            UserMetadata = changes.UserMetadata ?? current.UserMetadata,
            AppMetadata = changes.AppMetadata ?? current.AppMetadata,
            PasswordHash = hash,
            LastPasswordReset = changes.Password is null ? current.LastPasswordReset : now,
            UpdatedAt = now,
        };
        var saved = await store.UpdateUserAsync(updated, ct);
        await audit.RecordAsync(actor, new AdminChange("Update a user", "patch", "/api/v2/users/" + current.UserId), ct);
        return saved;
    }

    /// <summary>Deletes the user and the accounts linked to it (as at Auth0).</summary>
    public async Task DeleteAsync(AdminActor actor, string userId, CancellationToken ct)
    {
        var user = await FindAsync(userId, ct);
        await new AccountLinks(store, time).DeleteSecondariesAsync(user, ct);
        await store.DeleteUserAsync(user.UserId, ct);
        await audit.RecordAsync(actor, new AdminChange("Delete a user", "delete", "/api/v2/users/" + user.UserId, 204), ct);
    }

    /// <summary>
    /// A federated user's profile comes from the identity provider: as in Auth0, its root attributes can be set here only
    /// when the connection's set_user_root_attributes stops logins from overwriting them (on_first_login, never_on_login).
    /// </summary>
    private async Task CheckRootAttributesAllowedAsync(IReadOnlyList<string> sent, User user, CancellationToken ct)
    {
        if (sent.Count == 0)
            return;
        var connection = await store.GetConnectionAsync(user.ConnectionId, ct);
        if (connection is null || cache.Get(connection) is IPasswordOwningConnection) // its users' profiles are theirs
            return;
        var mode = connection.Options.ValueKind == JsonValueKind.Object && connection.Options.TryGetProperty("set_user_root_attributes", out var value)
            && value.ValueKind == JsonValueKind.String ? value.GetString() : "on_each_login";
        if (mode is "on_first_login" or "never_on_login")
            return;
        throw AdminException.Invalid(sent[0],
            $"Root attributes ({string.Join(", ", sent)}) of users of connection '{connection.Name}' are set by the identity provider on each login; "
            + "set the connection's set_user_root_attributes to on_first_login or never_on_login to update them here.");
    }
}
