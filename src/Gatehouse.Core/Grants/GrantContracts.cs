using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Grants;

/// <summary>What the shared pipeline steps established before a grant's own work.</summary>
public sealed record GrantContext(TokenRequest Request, Client Client, TenantSettings Tenant, Connection? Connection, IConnection? Live);

/// <summary>A grant's decision: tokens to issue, or a refusal with what the audit log should say.</summary>
public abstract record GrantOutcome
{
    private GrantOutcome() { }

    public sealed record Granted(TokenGrant Grant) : GrantOutcome;

    public sealed record Refused(OAuthError Error) : GrantOutcome
    {
        /// <summary>Audit type when it is more specific than the grant's failure type (fp, fu).</summary>
        public string? AuditType { get; init; }
        public string? UserId { get; init; }
        public string? UserName { get; init; }

        /// <summary>Audit-only detail (e.g. an upstream error code); never shown to the caller.</summary>
        public string? Detail { get; init; }

        /// <summary>
        /// The connection checked the credentials and refused the login (wrong credentials or a policy refusal such as
        /// mfa_required), as opposed to a bad request or an outage: attack protection counts these.
        /// </summary>
        public bool CredentialsRefused { get; init; }

        /// <summary>The connection's refusal can be continued interactively (<see cref="PasswordLoginResult.Denied.Continuable"/>).</summary>
        public bool Continuable { get; init; }
    }
}

/// <summary>
/// One grant type's own work. The pipeline has already parsed the request, authenticated the client, checked the
/// grant is allowed and resolved the connection; a handler never writes HTTP and never mints tokens.
/// </summary>
public interface IGrantHandler
{
    string GrantType { get; }

    /// <summary>Served at legacy /oauth/ro instead of /oauth/token.</summary>
    bool Legacy => false;

    /// <summary>Parameters that must be present (checked in the parse step, before any lookup).</summary>
    IReadOnlyList<string> RequiredParameters { get; }

    /// <summary>Public clients (token_endpoint_auth_method none) may not use it.</summary>
    bool RequiresConfidentialClient => false;

    /// <summary>Third-party clients (is_first_party false) may not use it: Auth0 keeps the password grants first-party only.</summary>
    bool RequiresFirstPartyClient => false;

    string SuccessLogType { get; }

    string FailureLogType { get; }

    /// <summary>
    /// The connection this request logs in through, or null for grants without one. An error when the request
    /// cannot name one (e.g. no default_directory).
    /// </summary>
    (string? Name, OAuthError? Error) SelectConnection(TokenRequest request, TenantSettings tenant) => (null, null);

    Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct);
}
