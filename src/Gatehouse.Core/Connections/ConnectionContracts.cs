using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Connections;

/// <summary>Turns stored connection data (strategy tag + JSON options) into a live connection.</summary>
public interface IConnectionStrategy
{
    /// <summary>Auth0's strategy name: "auth0", "waad".</summary>
    string Strategy { get; }

    /// <summary>Problems with the options, each naming the option; empty when valid.</summary>
    IReadOnlyList<OptionProblem> Validate(JsonElement options);

    /// <summary>The problems as the Management API's 400 words them ("options.client_id is required").</summary>
    IReadOnlyList<string> ValidateOptions(JsonElement options) => [.. Validate(options).Select(p => p.ToString())];

    /// <summary>
    /// Top-level option names that hold secrets (e.g. "client_secret"). The Management API encrypts them
    /// with ISecretProtector (purpose <see cref="SecretPurpose"/>) before storing, and never shows them to
    /// callers without the scope that may read secrets; <see cref="Create"/> receives them still encrypted.
    /// </summary>
    IReadOnlyCollection<string> SecretOptions => [];

    /// <summary>
    /// Top-level option names that say where the secrets (and users' passwords) are sent, e.g. an upstream URL. A secret
    /// kept from the stored options never follows a change of one of these: the change must come with the secret.
    /// </summary>
    IReadOnlyCollection<string> SecretDestinationOptions => [];

    /// <summary>The ISecretProtector purpose for a secret option of a connection.</summary>
    static string SecretPurpose(string optionName) => "connection-option:" + optionName;

    /// <summary>Labels for the dashboard (display name, federated or not). Never a behaviour switch.</summary>
    StrategyDescriptor Descriptor => new(Strategy, Federated: false);

    /// <summary>Typed options with defaults applied. Called once per (connection id, version).</summary>
    IConnection Create(Connection definition);
}

/// <summary>A live connection. Capabilities come from the other interfaces it implements.</summary>
public interface IConnection
{
    Connection Definition { get; }
}

/// <summary>A connection that can check a username and password (the password grants and /oauth/ro).</summary>
public interface IPasswordConnection : IConnection
{
    Task<PasswordLoginResult> LoginAsync(string username, string password, LoginContext context, CancellationToken ct);

    /// <summary>
    /// Whether brute-force protection counts this connection's failed logins (Auth0's <c>brute_force_protection</c>
    /// option of database connections; on for every connection that has no such option).
    /// </summary>
    bool BruteForceProtection => true;
}

/// <summary>What a login knows about its caller, for audit and upstream hints. Never holds the password.</summary>
public sealed record LoginContext(string ClientId, string? Ip, string? UserAgent, string CorrelationId);

/// <summary>
/// The outcomes of a password check: who signed in (<see cref="Authenticated"/> from a federated connection, or
/// <see cref="Success"/> from one that owns its users), a normal refusal, or (by exception) an infrastructure failure.
/// InvalidCredentials covers unknown user and wrong password alike so callers cannot tell them apart. A connection
/// never decides "blocked" and never writes the audit log: the grant does both, once.
/// </summary>
public abstract record PasswordLoginResult
{
    private PasswordLoginResult() { }

    /// <summary>
    /// A connection that owns its users (the database connection) returns the stored user; it is its own identity
    /// provider, so there is nothing to provision. The grant counts the login.
    /// </summary>
    public sealed record Success(User User) : PasswordLoginResult;

    /// <summary>A federated connection's answer: the provider vouched for this identity; <see cref="Users.FederatedUserProvisioner"/> makes it a user.</summary>
    public sealed record Authenticated(UpstreamIdentity Identity) : PasswordLoginResult;

    /// <summary>Unknown user or wrong password. <paramref name="UnknownUser"/> is for the audit log only (fu vs fp).</summary>
    public sealed record InvalidCredentials(bool UnknownUser, string? UserId, string? Detail) : PasswordLoginResult;

    /// <summary>
    /// A refusal the app can act on (mfa_required, password expired, misconfiguration...).
    /// Error/Description go to the caller; Detail (e.g. the upstream AADSTS code) only to the audit log.
    /// </summary>
    public sealed record Denied(int Status, string Error, string Description, string? Detail, string? UserId) : PasswordLoginResult
    {
        /// <summary>
        /// The provider asked for what an interactive sign-in at the same provider can give (a second factor, a
        /// Conditional Access check): the password grant answers with an <c>mfa_token</c> to continue from.
        /// </summary>
        public bool Continuable { get; init; }
    }
}

/// <summary>
/// One problem with a connection's options: the option it is about (a JSON path under <c>options</c>, e.g.
/// "client_id" or "validation.username"; null when it is about the options as a whole) and what is wrong. The
/// Management API shows <see cref="ToString"/> ("options.client_id is required"); a form marks the field by
/// <see cref="Option"/> instead of parsing the text.
/// </summary>
public sealed record OptionProblem(string? Option, string Message)
{
    public override string ToString() => Option is null ? Message : $"options.{Option} {Message}";
}
