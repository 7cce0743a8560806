using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Users;

/// <summary>What provisioning made of an upstream identity: the user (maybe blocked: the grant decides), or a refusal.</summary>
public abstract record ProvisioningResult
{
    private ProvisioningResult() { }

    /// <param name="LoginRecorded">last_login, last_ip and logins_count were counted in the same write (the grant does not count again).</param>
    public sealed record Provisioned(User User, bool LoginRecorded) : ProvisioningResult;

    public sealed record Refused(PasswordLoginResult.Denied Denied) : ProvisioningResult;
}

/// <summary>
/// Just-in-time provisioning for every federated strategy: finds the user by (connection, ExternalKey) and creates
/// or updates it from the <see cref="UpstreamIdentity"/> the connection returned. Runs only after the whole upstream
/// exchange succeeded, so a failed login never leaves a half-written user. A returning user costs one read and one
/// write: the profile and the login (last_login, last_ip, logins_count) go in the same
/// <see cref="IGatehouseStore.UpdateUserOnLoginAsync"/>. A blocked user is returned as stored, unwritten: the grant
/// refuses it (the one "blocked" check). Optimistic-concurrency conflicts (two nodes, two logins) are retried on a
/// fresh read. A linked secondary account signs its primary in (<see cref="AccountLinks"/>), and when the tenant asks
/// for it, a new identity whose upstream account another connection already knows is linked to that user at once.
/// </summary>
public sealed class FederatedUserProvisioner(IGatehouseStore store, ISecretProtector protector, TimeProvider time, AuditLog audit)
{
    private const int MaxAttempts = 5;
    private readonly AccountLinks _links = new(store, time);

    /// <summary>The user a login as <paramref name="user"/> signs in (a connection that keeps its users found a linked secondary).</summary>
    public Task<User> PrimaryOfAsync(User user, CancellationToken ct) => _links.PrimaryOfAsync(user, ct);

    public async Task<ProvisioningResult> ProvisionAsync(Connection connection, UpstreamIdentity identity, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(identity);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.FindUserByExternalKeyAsync(connection.Id, identity.ExternalKey, ct);
            try
            {
                if (existing is null)
                {
                    return await CreateAsync(connection, identity, ip, ct);
                }

                if (existing.LinkedTo is { } primaryId)
                {
                    return await SignInLinkedAsync(existing, await PrimaryAsync(existing, primaryId, ct), connection, identity, ip, ct);
                }

                if (existing.Blocked)
                {
                    return new ProvisioningResult.Provisioned(existing, LoginRecorded: false);
                }

                var now = time.GetUtcNow();
                return new ProvisioningResult.Provisioned(
                    await store.UpdateUserOnLoginAsync(Updated(existing, connection, identity, now), now, ip, ct), LoginRecorded: true);
            }
            catch (StoreException e) when (attempt < MaxAttempts && (e.Error == StoreError.Conflict
                || (e.Error == StoreError.AlreadyExists && existing is null)
                || (e.Error == StoreError.NotFound && existing is not null)))
            {
                // Another login wrote first (Conflict), created this user between our read and create, or the user was
                // deleted between our read and update (NotFound: the next read creates it again): read again.
                // An email clash (update) is reported below instead.
            }
            catch (StoreException e) when (e.Error == StoreError.AlreadyExists && existing is not null)
            {
                return EmailClash(existing.UserId, identity);
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict && existing is not null)
            {
                // Many logins of one user at once kept overtaking each other. Each of them wrote the same profile from
                // the same upstream user, so the login goes on with what the others stored instead of failing (and the
                // grant counts it: LoginRecorded stays false).
                if (await store.FindUserByExternalKeyAsync(connection.Id, identity.ExternalKey, ct) is { } fresh)
                {
                    return new ProvisioningResult.Provisioned(await _links.PrimaryOfAsync(fresh, ct), LoginRecorded: false);
                }

                throw;
            }
        }
    }

    private async Task<ProvisioningResult> CreateAsync(Connection connection, UpstreamIdentity p, string? ip, CancellationToken ct)
    {
        // user_id is "<provider>|<id>" as Auth0 shapes it. A second connection to the same directory holds the same
        // upstream user under its own record; it gets "<provider>|<connection>|<id>" so both can exist (and be linked).
        var plainId = UserIds.Compose(p.Provider, p.UserId);
        var taken = await store.GetUserAsync(plainId, ct);
        if (taken is not null && taken.ConnectionId == connection.Id && taken.ExternalKey == p.ExternalKey)
        {
            throw new StoreException(StoreError.AlreadyExists, "created concurrently"); // the retry finds it by ExternalKey
        }

        var userId = taken is null ? plainId : $"{p.Provider}|{connection.Name}|{p.UserId}";
        if (p.Email is not null && await store.FindUserByEmailAsync(connection.Id, p.Email, ct) is { } sameEmail
            && sameEmail.ExternalKey != p.ExternalKey)
        {
            return EmailClash(sameEmail.UserId, p);
        }

        var now = time.GetUtcNow();
        var root = p.RootAttributes != RootAttributesPolicy.NeverOnLogin;
        var user = new User(
            UserId: userId,
            ConnectionId: connection.Id,
            Email: p.Email,
            EmailVerified: p.EmailVerified,
            Username: null,
            PhoneNumber: null,
            Name: root ? p.Name : null,
            GivenName: root ? p.GivenName : null,
            FamilyName: root ? p.FamilyName : null,
            Nickname: root ? p.Nickname : null,
            Picture: null,
            PasswordHash: null,
            ExternalKey: p.ExternalKey,
            Identities: [Identity(connection, p, p.UserId)],
            UserMetadata: null,
            AppMetadata: null,
            Attributes: p.Attributes,
            Blocked: false,
            CreatedAt: now,
            UpdatedAt: now,
            LastLogin: now,    // this first login, counted here in the same write (LoginRecorded)
            LastIp: ip,
            LoginsCount: 1,
            LastPasswordReset: null,
            Version: 0);
        if (p.Account is not null && AccountLinks.AutoLinkEnabled(await store.GetTenantSettingsAsync(ct))
            && await _links.FindSameAccountAsync(connection, p, ct) is { } primary)
        {
            return await AutoLinkAsync(user, primary, connection, p, ip, ct);
        }

        return new ProvisioningResult.Provisioned(await store.CreateUserAsync(user, ct), LoginRecorded: true);
    }

    /// <summary>
    /// The tenant links the same upstream account seen through two connections: this connection's row is created
    /// already linked (a concurrent login of the same account finds it and retries), the primary lists it and signs
    /// in, and one typed audit event says so.
    /// </summary>
    private async Task<ProvisioningResult> AutoLinkAsync(User user, User primary, Connection connection, UpstreamIdentity p, string? ip, CancellationToken ct)
    {
        var secondary = await store.CreateUserAsync(
            user with { LinkedTo = primary.UserId, LastLogin = null, LastIp = null, LoginsCount = 0 }, ct);
        var result = await SignInLinkedAsync(secondary, primary, connection, p, ip, ct);
        var linked = AccountLinks.LinkedIdentityOf(secondary);
        await audit.WriteAsync(new AuditEntry(LogTypes.AccountAutoLinked,
            "Linked automatically: the same upstream account signed in through another connection")
        {
            UserId = primary.UserId,
            UserName = p.Email,
            Ip = ip,
            Connection = connection,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object?>
            {
                ["primary_user_id"] = primary.UserId,
                ["linked_identity"] = new Dictionary<string, object?>
                {
                    ["provider"] = linked.Provider,
                    ["user_id"] = linked.UserId,
                    ["connection"] = linked.Connection,
                },
            }),
        }, ct);
        return result;
    }

    /// <summary>
    /// A login through a linked secondary account: the primary signs in (or, blocked, is refused by the grant), and its
    /// entry for this identity gets the fresh upstream tokens and profile. The primary's own profile stays its own.
    /// </summary>
    private async Task<ProvisioningResult> SignInLinkedAsync(User secondary, User primary, Connection connection, UpstreamIdentity p, string? ip, CancellationToken ct)
    {
        var fresh = secondary with
        {
            Email = p.Email ?? secondary.Email,
            EmailVerified = p.Email is null ? secondary.EmailVerified : p.EmailVerified,
            Name = p.Name ?? secondary.Name,
            GivenName = p.GivenName ?? secondary.GivenName,
            FamilyName = p.FamilyName ?? secondary.FamilyName,
            Nickname = p.Nickname ?? secondary.Nickname,
        };
        var linked = Identity(connection, p, AccountLinks.LinkedIdentityOf(secondary).UserId) with { ProfileData = AccountLinks.ProfileOf(fresh) };
        var withIdentity = AccountLinks.WithIdentity(primary, linked);
        if (primary.Blocked)
        {
            var listed = primary.Identities.Skip(1).Any(i => AccountLinks.RowIdOf(i) == secondary.UserId);
            return new ProvisioningResult.Provisioned(listed ? primary : await store.UpdateUserAsync(withIdentity, ct), LoginRecorded: false);
        }

        var now = time.GetUtcNow();
        return new ProvisioningResult.Provisioned(
            await store.UpdateUserOnLoginAsync(withIdentity with { UpdatedAt = now }, now, ip, ct), LoginRecorded: true);
    }

    /// <summary>The primary of a linked row; when it is gone, the row becomes a user of its own again and the login reads again.</summary>
    private async Task<User> PrimaryAsync(User secondary, string primaryId, CancellationToken ct)
    {
        if (await store.GetUserAsync(primaryId, ct) is { } primary)
        {
            return primary;
        }

        await store.UpdateUserAsync(secondary with { LinkedTo = null }, ct);
        throw new StoreException(StoreError.Conflict, "the primary of a linked account is gone"); // the retry reads the freed row
    }

    private User Updated(User existing, Connection connection, UpstreamIdentity p, DateTimeOffset now)
    {
        var root = p.RootAttributes == RootAttributesPolicy.OnEachLogin;
        // The user's own identity is the first; the others are linked accounts, refreshed when they sign in.
        var identities = existing.Identities.ToList();
        if (identities.Count > 0 && identities[0].Provider == p.Provider && identities[0].Connection == connection.Name)
        {
            identities[0] = Identity(connection, p, identities[0].UserId);
        }
        else
        {
            identities.Insert(0, Identity(connection, p, p.UserId));
        }

        return existing with
        {
            Email = p.Email ?? existing.Email,
            EmailVerified = p.Email is null ? existing.EmailVerified : p.EmailVerified,
            Name = root ? p.Name ?? existing.Name : existing.Name,
            GivenName = root ? p.GivenName ?? existing.GivenName : existing.GivenName,
            FamilyName = root ? p.FamilyName ?? existing.FamilyName : existing.FamilyName,
            Nickname = root ? p.Nickname ?? existing.Nickname : existing.Nickname,
            Identities = identities,
            Attributes = p.Attributes,
            UpdatedAt = now,
        };
    }

    /// <summary>The upstream tokens are stored encrypted (docs/security.md); only the Management API decrypts them.</summary>
    private UserIdentity Identity(Connection connection, UpstreamIdentity p, string identityUserId) => new(
        p.Provider,
        identityUserId,
        connection.Name,
        IsSocial: false,
        AccessTokenProtected: p.Tokens.AccessToken is { } access ? protector.Protect(access, UpstreamTokenPurposes.AccessToken) : null,
        RefreshTokenProtected: p.Tokens.RefreshToken is { } refresh ? protector.Protect(refresh, UpstreamTokenPurposes.RefreshToken) : null,
        ProfileData: null);

    private static ProvisioningResult.Refused EmailClash(string otherUserId, UpstreamIdentity p) => new(new(
        403,
        "access_denied",
        "Another account of this connection already uses this email address. Contact your administrator.",
        $"email already used by {otherUserId}; {p.Provider} user {p.ExternalKey} not provisioned",
        otherUserId));
}
