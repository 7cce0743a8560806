using System.Text.Json;
using Gatehouse.Core.Connections;
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
/// fresh read. Account linking (one user, several identities) belongs here when it comes.
/// </summary>
public sealed class FederatedUserProvisioner(IGatehouseStore store, ISecretProtector protector, TimeProvider time)
{
    private const int MaxAttempts = 5;

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
                    return new ProvisioningResult.Provisioned(fresh, LoginRecorded: false);
                }

                throw;
            }
        }
    }

    private async Task<ProvisioningResult> CreateAsync(Connection connection, UpstreamIdentity p, string? ip, CancellationToken ct)
    {
        // user_id is "<provider>|<id>" as Auth0 shapes it. A second connection to the same directory holds the same
        // upstream user under its own record; it gets "<provider>|<connection>|<id>" so both can exist (account
        // linking is a later choice).
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
        return new ProvisioningResult.Provisioned(await store.CreateUserAsync(user, ct), LoginRecorded: true);
    }

    private User Updated(User existing, Connection connection, UpstreamIdentity p, DateTimeOffset now)
    {
        var root = p.RootAttributes == RootAttributesPolicy.OnEachLogin;
        bool Ours(UserIdentity i) => i.Provider == p.Provider && i.Connection == connection.Name;
        var identityUserId = existing.Identities.FirstOrDefault(Ours)?.UserId ?? p.UserId;
        var identities = existing.Identities.Select(i => Ours(i) ? Identity(connection, p, identityUserId) : i).ToList();
        if (!identities.Any(Ours))
        {
            identities.Insert(0, Identity(connection, p, identityUserId));
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
