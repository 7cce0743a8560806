using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;

namespace Gatehouse.Connections.Database;

/// <summary>
/// A live <c>auth0</c> connection: local users with PBKDF2 password hashes. It owns its users, so a login returns
/// the stored user (<see cref="PasswordLoginResult.Success"/>) rather than an identity to provision; whether that
/// user is blocked is the grant's question, like for every connection.
/// </summary>
public sealed class DatabaseConnection(Connection definition, DatabaseConnectionOptions options, IGatehouseStore store, IPasswordHasher hasher, TimeProvider time)
    : IPasswordOwningConnection
{
    public const string Provider = "auth0";

    public Connection Definition { get; } = definition;

    public DatabaseConnectionOptions Options { get; } = options;

    /// <summary>Auth0's <c>brute_force_protection</c>: on unless the options say false (Auth0 creates connections with it on).</summary>
    public bool BruteForceProtection => Options.BruteForceProtection;

    public async Task<DateTimeOffset?> PasswordChangedAtAsync(string identifier, CancellationToken ct) =>
        (await store.FindUserByEmailAsync(Definition.Id, identifier, ct) ?? await store.FindUserByUsernameAsync(Definition.Id, identifier, ct))?.LastPasswordReset;

    public string? PasswordProblem(string password) => PasswordPolicy.Check(password, Options);

    public async Task<PasswordLoginResult> LoginAsync(string username, string password, LoginContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(username);
        ArgumentNullException.ThrowIfNull(password);
        // Both lookups always run, so a hit by email, a hit by username and a miss do the same work.
        var byEmail = await store.FindUserByEmailAsync(Definition.Id, username, ct);
        var byUsername = await store.FindUserByUsernameAsync(Definition.Id, username, ct);
        var user = byEmail ?? byUsername;
        // Always one hash computation, also for an unknown user, so both failures take the same time.
        var check = hasher.Verify(password, user?.PasswordHash);
        if (user is null)
            return new PasswordLoginResult.InvalidCredentials(UnknownUser: true, UserId: null, Detail: null);
        if (check == PasswordCheck.Failed)
            return new PasswordLoginResult.InvalidCredentials(UnknownUser: false, UserId: user.UserId, Detail: null);
        if (check == PasswordCheck.ValidNeedsRehash)
            user = await RehashAsync(user, password, ct);
        return new PasswordLoginResult.Success(user);
    }

    public async Task<UserCreationResult> CreateUserAsync(DatabaseUserDraft draft, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(draft);
        if (Validate(draft) is { } problem)
            return new UserCreationResult.Invalid(problem);
        var now = time.GetUtcNow();
        var id = draft.UserId ?? UserIds.NewDatabaseId();
        var email = draft.Email?.Trim().ToLowerInvariant();
        var user = new User(
            UserId: UserIds.Compose(Provider, id),
            ConnectionId: Definition.Id,
            Email: email,
            EmailVerified: draft.EmailVerified,
            Username: draft.Username,
            PhoneNumber: null,
            Name: draft.Name ?? email ?? draft.Username,
            GivenName: draft.GivenName,
            FamilyName: draft.FamilyName,
            Nickname: draft.Nickname ?? email?.Split('@')[0] ?? draft.Username,
            Picture: draft.Picture,
            PasswordHash: hasher.Hash(draft.Password),
            ExternalKey: null,
            Identities: [new UserIdentity(Provider, id, Definition.Name, IsSocial: false, null, null, null)],
            UserMetadata: draft.UserMetadata,
            AppMetadata: draft.AppMetadata,
            Attributes: null,
            Blocked: draft.Blocked,
            CreatedAt: now,
            UpdatedAt: now,
            LastLogin: null,
            LastIp: null,
            LoginsCount: 0,
            LastPasswordReset: null,
            Version: 0);
        return new UserCreationResult.Created(await store.CreateUserAsync(user, ct));
    }

    private string? Validate(DatabaseUserDraft draft)
    {
        if (string.IsNullOrWhiteSpace(draft.Email))
            return "Payload validation error: 'Missing required property: email'.";
        if (!LooksLikeEmail(draft.Email))
            return $"Payload validation error: 'Object didn't pass validation for format email: {draft.Email}' on property email (The user's email).";
        if (draft.Username is { } username)
        {
            if (!Options.RequiresUsername)
                return "Cannot set username for connection without requires_username";
            if (username.Length < Options.UsernameMin || username.Length > Options.UsernameMax || !username.All(IsUsernameChar))
                return $"Payload validation error: 'The username must be {Options.UsernameMin} to {Options.UsernameMax} characters of letters, digits and _+-.!#$^`~@'' on property username.";
        }
        else if (Options.RequiresUsername)
        {
            return "Payload validation error: 'Missing required property: username'.";
        }
        if (draft.UserId is { } customId && (customId.Length is 0 or > 255 || customId.Contains('|', StringComparison.Ordinal)))
            return "Payload validation error: 'user_id must be 1 to 255 characters without |' on property user_id.";
        return PasswordPolicy.Check(draft.Password, Options);
    }

    private async Task<User> RehashAsync(User user, string password, CancellationToken ct)
    {
        try
        {
            return await store.UpdateUserAsync(user with { PasswordHash = hasher.Hash(password) }, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.Conflict)
        {
            return user; // someone else wrote the user meanwhile; the next login upgrades the hash
        }
    }

    private static bool LooksLikeEmail(string email)
    {
        var at = email.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == email.LastIndexOf('@') && at < email.Length - 1 && !email.Any(char.IsWhiteSpace) && email.Length <= 254
            && IdentifierNormalizer.Problem(email) is null;
    }

    private static bool IsUsernameChar(char c) => char.IsAsciiLetterOrDigit(c) || "_+-.!#$^`~@'".Contains(c, StringComparison.Ordinal);
}
