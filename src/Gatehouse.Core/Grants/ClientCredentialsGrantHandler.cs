using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Grants;

/// <summary><c>client_credentials</c>: a machine token for an API the client has a client grant for.</summary>
public sealed class ClientCredentialsGrantHandler(AudienceResolver audiences, ConfigCache config) : IGrantHandler
{
    public string GrantType => GrantTypes.ClientCredentials;

    public IReadOnlyList<string> RequiredParameters => [];

    public bool RequiresConfidentialClient => true;

    public string SuccessLogType => LogTypes.SuccessClientCredentialsExchange;

    public string FailureLogType => LogTypes.FailedClientCredentialsExchange;

    public async Task<GrantOutcome> HandleAsync(GrantContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var requested = context.Request["audience"];
        if (requested is null && string.IsNullOrEmpty(context.Tenant.DefaultAudience))
            return new GrantOutcome.Refused(OAuthError.AccessDenied("No audience parameter was provided, and no default audience has been configured"));
        var (audience, error) = await audiences.ResolveAsync(requested, context.Tenant, ct);
        if (error is not null)
            return new GrantOutcome.Refused(error);
        if (audience!.Api is not { } api)
            return new GrantOutcome.Refused(OAuthError.AccessDenied($"Service not found: {audience.Identifier}"));

        var grant = await config.FindClientGrantAsync(context.Client.ClientId, api.Identifier, ct);
        if (grant is null)
            return new GrantOutcome.Refused(OAuthError.AccessDenied(
                $"Client is not authorized to access \"{api.Identifier}\". You need to create a \"client-grant\" associated to this API."));

        var scopes = ScopePolicy.ForClient(context.Request.Scopes(), grant);
        return new GrantOutcome.Granted(new TokenGrant(
            GrantTypeClaim: "client-credentials",
            Subject: $"{context.Client.ClientId}@clients",
            User: null,
            Audience: api.Identifier,
            AccessTokenLifetimeSeconds: api.TokenLifetime,
            Scopes: scopes,
            ReturnScope: true,
            IssueRefreshToken: false,
            Connection: null));
    }
}
