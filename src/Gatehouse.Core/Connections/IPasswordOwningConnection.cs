using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Connections;

/// <summary>
/// A connection that keeps its users and their passwords (the database connection): the admin layer creates users
/// in it and checks new passwords against its policy, and a password change after the last failed login lifts a
/// brute-force block on that account, as Auth0 does. Its users are not federated: their profile is theirs to edit.
/// </summary>
public interface IPasswordOwningConnection : IPasswordConnection
{
    /// <summary>When the user who signs in as <paramref name="identifier"/> last changed their password; null when unknown or never.</summary>
    Task<DateTimeOffset?> PasswordChangedAtAsync(string identifier, CancellationToken ct);

    Task<UserCreationResult> CreateUserAsync(DatabaseUserDraft draft, CancellationToken ct);

    /// <summary>Why the connection's password policy refuses this password, or null.</summary>
    string? PasswordProblem(string password);
}

/// <summary>A new user of a connection that keeps its users, as the Management API describes it.</summary>
public sealed record DatabaseUserDraft(string? Email, string? Username, string Password)
{
    public string? UserId { get; init; }
    public bool EmailVerified { get; init; }
    public string? Name { get; init; }
    public string? GivenName { get; init; }
    public string? FamilyName { get; init; }
    public string? Nickname { get; init; }
    public string? Picture { get; init; }
    public bool Blocked { get; init; }
    public JsonElement? UserMetadata { get; init; }
    public JsonElement? AppMetadata { get; init; }
}

public abstract record UserCreationResult
{
    private UserCreationResult() { }

    public sealed record Created(User User) : UserCreationResult;

    /// <summary>The draft breaks a rule of the connection; Message names it (Management API 400).</summary>
    public sealed record Invalid(string Message) : UserCreationResult;
}

