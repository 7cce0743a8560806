using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Users;

/// <summary>
/// Account linking's store work (Auth0's /users/{id}/identities), for the admin layer and for automatic linking at
/// login. The secondary's row stays, marked <see cref="User.LinkedTo"/>, so its connection still finds it (by email,
/// username or external key) and a login through it resolves to the primary; its identity joins the primary's
/// <see cref="User.Identities"/> after the primary's own, with its profile as <c>profileData</c>. A linked identity's
/// <c>user_id</c> is the secondary's user_id without the provider prefix, so "{provider}|{user_id}" names that row
/// back even when two connections share an upstream id (<see cref="RowIdOf"/>).
/// </summary>
public sealed class AccountLinks(IGatehouseStore store, TimeProvider time)
{
    /// <summary>The Gatehouse-specific tenant setting (in the tenant settings' other members) that turns automatic linking on.</summary>
    public const string AutoLinkSetting = "gatehouse_auto_link_upstream_accounts";

    /// <summary>The user_id of the row a linked identity stands for.</summary>
    public static string RowIdOf(UserIdentity identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        return UserIds.Compose(identity.Provider, identity.UserId);
    }

    /// <summary>Whether the tenant links the same upstream account seen through two connections (off unless set to true).</summary>
    public static bool AutoLinkEnabled(TenantSettings? settings) =>
        settings?.Extra is { ValueKind: JsonValueKind.Object } extra
        && extra.TryGetProperty(AutoLinkSetting, out var value) && value.ValueKind == JsonValueKind.True;

    /// <summary>The secondary's own identity as the primary lists it: its row's id, and its profile as profileData.</summary>
    public static UserIdentity LinkedIdentityOf(User secondary)
    {
        ArgumentNullException.ThrowIfNull(secondary);
        var own = secondary.Identities[0];
        return own with { UserId = secondary.UserId[(own.Provider.Length + 1)..], ProfileData = ProfileOf(secondary) };
    }

    /// <summary>Whether <paramref name="user"/>'s id is "{provider}|…" for its own identity's provider (what <see cref="LinkedIdentityOf"/> needs).</summary>
    public static bool CanBeLinked(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Identities.Count > 0 && user.UserId.StartsWith(user.Identities[0].Provider + "|", StringComparison.Ordinal);
    }

    /// <summary>The user a login as <paramref name="user"/> signs in: its primary when it is a linked secondary.</summary>
    public async Task<User> PrimaryOfAsync(User user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.LinkedTo is { } primaryId && await store.GetUserAsync(primaryId, ct) is { } primary ? primary : user;
    }

    /// <summary>
    /// Links <paramref name="secondary"/> under <paramref name="primary"/> (both as just read; a stale one is a
    /// Conflict): the secondary's row is marked and loses its metadata, as at Auth0, then the primary lists it.
    /// Returns the primary as stored.
    /// </summary>
    public async Task<User> LinkAsync(User primary, User secondary, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(secondary);
        var now = time.GetUtcNow();
        var marked = await store.UpdateUserAsync(
            secondary with { LinkedTo = primary.UserId, UserMetadata = null, AppMetadata = null, UpdatedAt = now }, ct);
        try
        {
            return await store.UpdateUserAsync(WithIdentity(primary, LinkedIdentityOf(secondary)) with { UpdatedAt = now }, ct);
        }
        catch (StoreException)
        {
            // The primary changed meanwhile: the secondary is its own user again, as it was, and the caller sees the error.
            await store.UpdateUserAsync(secondary with { Version = marked.Version }, ct);
            throw;
        }
    }

    /// <summary>
    /// Removes <paramref name="identity"/> (one of the primary's linked identities) and makes its row a user of its
    /// own again. Returns the primary as stored.
    /// </summary>
    public async Task<User> UnlinkAsync(User primary, UserIdentity identity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(identity);
        var now = time.GetUtcNow();
        var saved = await store.UpdateUserAsync(primary with
        {
            Identities = [.. primary.Identities.Where(i => !ReferenceEquals(i, identity))],
            UpdatedAt = now,
        }, ct);
        if (await store.GetUserAsync(RowIdOf(identity), ct) is { } secondary && secondary.LinkedTo == primary.UserId)
            await store.UpdateUserAsync(secondary with { LinkedTo = null, UpdatedAt = now }, ct);
        return saved;
    }

    /// <summary>Deletes the rows of the primary's linked identities (deleting a primary deletes its secondaries, as at Auth0).</summary>
    public async Task DeleteSecondariesAsync(User primary, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(primary);
        foreach (var identity in primary.Identities.Skip(1))
        {
            if (await store.GetUserAsync(RowIdOf(identity), ct) is { } secondary && secondary.LinkedTo == primary.UserId)
            {
                try
                {
                    await store.DeleteUserAsync(secondary.UserId, ct);
                }
                catch (StoreException e) when (e.Error == StoreError.NotFound)
                {
                }
            }
        }
    }

    /// <summary>
    /// The user who already has the same upstream account through another connection: same provider, same external
    /// key, and an identity that names its account (<see cref="UpstreamIdentity.Account"/>). Never matched by email,
    /// and never a user of a connection that keeps its own users (their rows have no external key). Resolved to its
    /// primary when it is itself linked.
    /// </summary>
    public async Task<User?> FindSameAccountAsync(Connection connection, UpstreamIdentity identity, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(identity);
        if (identity.Account is null)
            return null;
        var connections = await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct);
        foreach (var other in connections.Items.Where(c => c.Id != connection.Id))
        {
            if (await store.FindUserByExternalKeyAsync(other.Id, identity.ExternalKey, ct) is not { } found
                || found.ExternalKey != identity.ExternalKey
                || found.Identities.Count == 0 || found.Identities[0].Provider != identity.Provider)
                continue;
            var primary = await PrimaryOfAsync(found, ct);
            if (primary.LinkedTo is null)
                return primary;
        }
        return null;
    }

    /// <summary>The primary with <paramref name="linked"/> in place of the identity of the same row, or added after the others.</summary>
    public static User WithIdentity(User primary, UserIdentity linked)
    {
        ArgumentNullException.ThrowIfNull(primary);
        ArgumentNullException.ThrowIfNull(linked);
        var rowId = RowIdOf(linked);
        var identities = primary.Identities.ToList();
        var index = identities.Count > 1 ? identities.FindIndex(1, i => RowIdOf(i) == rowId) : -1;
        if (index > 0)
            identities[index] = linked;
        else
            identities.Add(linked);
        return primary with { Identities = identities };
    }

    /// <summary>Auth0's profileData of a linked identity: the secondary's profile as it was.</summary>
    public static JsonElement ProfileOf(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var profile = new JsonObject();
        void Put(string name, string? value)
        {
            if (value is not null)
                profile[name] = value;
        }
        Put("email", user.Email);
        if (user.Email is not null)
            profile["email_verified"] = user.EmailVerified;
        Put("username", user.Username);
        Put("name", user.Name);
        Put("given_name", user.GivenName);
        Put("family_name", user.FamilyName);
        Put("nickname", user.Nickname);
        Put("picture", user.Picture);
        return JsonSerializer.SerializeToElement(profile);
    }
}
