using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Gatehouse.Core.Users;

namespace Gatehouse.Core.Grants;

/// <summary>Which of the three password-based grants a <see cref="PasswordGrantHandler"/> serves.</summary>
public enum PasswordGrantKind
{
    /// <summary><c>password</c>: the tenant's default_directory.</summary>
    Password,
    /// <summary><c>…/password-realm</c>: realm = connection name.</summary>
    PasswordRealm,
    /// <summary>Legacy <c>/oauth/ro</c>: connection = connection name; tokens for /userinfo only.</summary>
    LegacyRo,
}

/// <summary>
/// Resource Owner Password grants: check the credentials at the connection, turn a federated identity into a user
/// and refuse a blocked user (<see cref="PasswordSignIn"/>, shared with the hosted login page), then decide scopes.
/// A refusal the provider would lift in an interactive sign-in (MFA, Conditional Access) carries an <c>mfa_token</c>
/// (<see cref="MfaTokens"/>; docs/errors.md, "Continuing after mfa_required").
/// </summary>
public sealed class PasswordGrantHandler(
    PasswordGrantKind kind, AudienceResolver audiences, PasswordSignIn signIn, TenantIssuer issuer, TokenOptions options,
    MfaTokens? mfaTokens = null, IUserStore? users = null)
    : IGrantHandler
{
    public string GrantType => kind switch
    {
        PasswordGrantKind.Password => GrantTypes.Password,
        PasswordGrantKind.PasswordRealm => GrantTypes.PasswordRealm,
        _ => GrantTypes.LegacyRo,
    };

    public bool Legacy => kind == PasswordGrantKind.LegacyRo;

    public IReadOnlyList<string> RequiredParameters => kind switch
    {
        PasswordGrantKind.Password => ["username", "password"],
        PasswordGrantKind.PasswordRealm => ["username", "password", "realm"],
        _ => ["username", "password", "connection"],
    };

    public bool RequiresFirstPartyClient => true;

    public string SuccessLogType => Legacy ? LogTypes.SuccessLogin : LogTypes.SuccessPasswordExchange;

    public string FailureLogType => LogTypes.FailedLogin;

    public (string? Name, OAuthError? Error) SelectConnection(TokenRequest request, TenantSettings tenant) => kind switch
    {
        PasswordGrantKind.Password => string.IsNullOrEmpty(tenant.DefaultDirectory)
            ? (null, OAuthError.InvalidRequest("Authorization server not configured with default connection."))
            : (tenant.DefaultDirectory, null),
        PasswordGrantKind.PasswordRealm => (request["realm"], null),
        _ => (request["connection"], null),
    };

    public async Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (context.Live is not IPasswordConnection connection)
            return new GrantOutcome.Refused(OAuthError.InvalidRequest("specified strategy does not support requested operation"));

        ResolvedAudience audience;
        if (Legacy)
        {
            audience = new ResolvedAudience(issuer.UserinfoAudience, null);
        }
        else
        {
            var (resolved, error) = await audiences.ResolveAsync(request["audience"], context.Tenant, ct);
            if (error is not null)
                return new GrantOutcome.Refused(error);
            audience = resolved!;
            if (audience.Api is { IsSystem: true })
                return new GrantOutcome.Refused(OAuthError.AccessDenied($"The {GrantType} grant cannot be used to get tokens for the Management API."));
        }

        var username = request["username"]!;
        var (user, refusal) = await signIn.SignInAsync(connection, username, request["password"]!,
            new LoginContext(context.Client.ClientId, request.Ip, request.UserAgent, request.CorrelationId),
            Legacy ? new OAuthError(401, "invalid_user_password", OAuthError.WrongCredentialsDescription) : OAuthError.WrongCredentials(), ct);
        if (refusal is { Continuable: true } && !Legacy && mfaTokens is not null)
            return await WithMfaTokenAsync(refusal, context, username, audience, ct);
        if (refusal is not null)
            return refusal;
        var scopes = ScopePolicy.ForUser(request.Scopes(Legacy ? "openid" : null), audience.Api, widenOpenId: !Legacy);
        var refresh = scopes.IssueRefreshToken && (!Legacy || request["device"] is not null);
        return new GrantOutcome.Granted(new TokenGrant(
            GrantTypeClaim: Legacy ? null : "password",
            Subject: user!.UserId,
            User: user,
            Audience: audience.Identifier,
            AccessTokenLifetimeSeconds: PasswordGrantLifetimes.AccessToken(audience.Api?.TokenLifetime ?? options.DefaultAccessTokenLifetimeSeconds, options),
            Scopes: scopes.Granted,
            ReturnScope: scopes.DiffersFromRequest && !Legacy,
            IssueRefreshToken: refresh,
            Connection: context.Connection)
        {
            Legacy = Legacy,
            OriginGrantType = GrantType,
            RefreshTokenLifetimeSeconds = PasswordGrantLifetimes.RefreshToken(options),
        });
    }

    /// <summary>The refusal with an mfa_token bound to this client, connection, username (and account, when known).</summary>
    private async Task<GrantOutcome.Refused> WithMfaTokenAsync(
        GrantOutcome.Refused refusal, GrantContext context, string username, ResolvedAudience audience, CancellationToken ct)
    {
        var connection = context.Connection!;
        // A returning user is known by the provider's key: the continuation must end with that very account.
        var known = users is null ? null : await users.FindUserByEmailAsync(connection.Id, username, ct);
        var token = await mfaTokens!.IssueAsync(new MfaBinding(context.Client.ClientId, connection.Id, connection.Name, username,
            known?.ExternalKey, audience.Api?.Identifier, context.Request["scope"] ?? "openid", default), ct);
        var extra = new Dictionary<string, string>(refusal.Error.Extra ?? new Dictionary<string, string>()) { ["mfa_token"] = token };
        return refusal with { Error = refusal.Error with { Extra = extra } };
    }
}
