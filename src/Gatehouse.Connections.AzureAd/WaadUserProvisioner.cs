using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Just-in-time provisioning: finds the user by (connection, ExternalKey "&lt;tid&gt;/&lt;oid&gt;") and creates or
/// updates it. Runs only after the whole upstream exchange succeeded, so a failed login never leaves a half-written
/// user. Optimistic-concurrency conflicts (two nodes, two logins) are retried on a fresh read. The login itself
/// (last_login, last_ip, logins_count) is counted in the same write as the profile (one read and one write per
/// returning user), and the result says so (<see cref="PasswordLoginResult.Success.LoginRecorded"/>).
/// </summary>
internal sealed class WaadUserProvisioner(IGatehouseStore store, ISecretProtector protector, TimeProvider time)
{
    public const string Provider = "waad";
    private const int MaxAttempts = 5;

    public async Task<PasswordLoginResult> ProvisionAsync(Connection connection, WaadOptions o, WaadProfile p, LoginContext context, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var existing = await store.FindUserByExternalKeyAsync(connection.Id, p.ExternalKey, ct);
            try
            {
                if (existing is null)
                {
                    return await CreateAsync(connection, o, p, context, ct);
                }

                if (existing.Blocked)
                {
                    return new PasswordLoginResult.Denied(401, "unauthorized", "user is blocked", "blocked in Gatehouse", existing.UserId);
                }

                var now = time.GetUtcNow();
                return new PasswordLoginResult.Success(
                    await store.UpdateUserOnLoginAsync(Updated(existing, connection, o, p, now), now, context.Ip, ct)) { LoginRecorded = true };
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
                return EmailClash(existing.UserId, p);
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict && existing is not null)
            {
                // Many logins of one user at once kept overtaking each other. Each of them wrote the same profile from
                // the same Azure AD user, so the login goes on with what the others stored instead of failing (and the
                // grant counts it: LoginRecorded stays false).
                if (await store.FindUserByExternalKeyAsync(connection.Id, p.ExternalKey, ct) is { Blocked: false } fresh)
                {
                    return new PasswordLoginResult.Success(fresh);
                }

                throw;
            }
        }
    }

    private async Task<PasswordLoginResult> CreateAsync(Connection connection, WaadOptions o, WaadProfile p, LoginContext context, CancellationToken ct)
    {
        // user_id is "waad|<id>" as Auth0 shapes it. A second connection to the same tenant holds the same Azure user
        // under its own record; it gets "waad|<connection>|<id>" so both can exist (account linking is a later choice).
        var plainId = $"{Provider}|{p.IdpUserId}";
        var taken = await store.GetUserAsync(plainId, ct);
        if (taken is not null && taken.ConnectionId == connection.Id && taken.ExternalKey == p.ExternalKey)
        {
            throw new StoreException(StoreError.AlreadyExists, "created concurrently"); // the retry finds it by ExternalKey
        }

        var userId = taken is null ? plainId : $"{Provider}|{connection.Name}|{p.IdpUserId}";
        if (p.Email is not null && await store.FindUserByEmailAsync(connection.Id, p.Email, ct) is { } sameEmail
            && sameEmail.ExternalKey != p.ExternalKey)
        {
            return EmailClash(sameEmail.UserId, p);
        }

        var now = time.GetUtcNow();
        var root = o.SetUserRootAttributes != WaadRootAttributesPolicy.NeverOnLogin;
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
            Identities: [Identity(connection, p, p.IdpUserId)],
            UserMetadata: null,
            AppMetadata: null,
            Attributes: JsonSerializer.SerializeToElement(p.Attributes),
            Blocked: false,
            CreatedAt: now,
            UpdatedAt: now,
            LastLogin: now,    // this first login, counted here in the same write (LoginRecorded)
            LastIp: context.Ip,
            LoginsCount: 1,
            LastPasswordReset: null,
            Version: 0);
        return new PasswordLoginResult.Success(await store.CreateUserAsync(user, ct)) { LoginRecorded = true };
    }

    private User Updated(User existing, Connection connection, WaadOptions o, WaadProfile p, DateTimeOffset now)
    {
        var root = o.SetUserRootAttributes == WaadRootAttributesPolicy.OnEachLogin;
        var identityUserId = existing.Identities.FirstOrDefault(i => i.Provider == Provider && i.Connection == connection.Name)?.UserId ?? p.IdpUserId;
        var identities = existing.Identities
            .Select(i => i.Provider == Provider && i.Connection == connection.Name ? Identity(connection, p, identityUserId) : i)
            .ToList();
        if (!identities.Any(i => i.Provider == Provider && i.Connection == connection.Name))
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
            Attributes = JsonSerializer.SerializeToElement(p.Attributes),
            UpdatedAt = now,
        };
    }

    private UserIdentity Identity(Connection connection, WaadProfile p, string identityUserId) => new(
        Provider,
        identityUserId,
        connection.Name,
        IsSocial: false,
        AccessTokenProtected: p.AccessToken is null ? null : protector.Protect(p.AccessToken, UpstreamTokenPurposes.AccessToken),
        RefreshTokenProtected: p.RefreshToken is null ? null : protector.Protect(p.RefreshToken, UpstreamTokenPurposes.RefreshToken),
        ProfileData: null);

    private static PasswordLoginResult.Denied EmailClash(string otherUserId, WaadProfile p) => new(
        403,
        "access_denied",
        "Another account of this connection already uses this email address. Contact your administrator.",
        $"email already used by {otherUserId}; azure user {p.ExternalKey} not provisioned",
        otherUserId);
}
