using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.AzureAd;

internal sealed record WaadServices(
    AzureTokenClient Tokens,
    AzureTenantMetadata Metadata,
    AzureIdTokenChecks Validator,
    GraphClient Graph,
    TimeProvider Time,
    SemaphoreSlim LoginSlots);

/// <summary>
/// A live <c>waad</c> connection: the Resource Owner Password grant against Azure AD, or the browser's authorization
/// code flow (<c>WaadConnection.Browser.cs</c>), then token checks, then optional Graph profile and groups. It only authenticates: the answer is an <see cref="UpstreamIdentity"/> that the grant
/// provisions (<see cref="Core.Users.FederatedUserProvisioner"/>). Outcomes: Authenticated, InvalidCredentials, Denied, or
/// <see cref="UpstreamUnavailableException"/> for infrastructure failures. The password goes into one form body per
/// attempt and nowhere else (no log, no exception, no detail).
/// </summary>
internal sealed partial class WaadConnection(
    Connection definition,
    WaadOptions? options,
    string? optionsProblem,
    string? secret,
    string? secretProblem,
    WaadConnectionState state,
    WaadServices services,
    WaadPreflight preflight) : IUpstreamLockoutConnection, IPreflightConnection, IRedirectConnection, IFederatedLogoutConnection,
    IUpstreamSessionCheck, IDirectoryConnection
{
    /// <summary>Suggested wait when Azure throttles (50196, 90055) without a Retry-After header.</summary>
    public static readonly TimeSpan DefaultThrottleWait = TimeSpan.FromSeconds(10);

    public Connection Definition { get; } = definition;

    internal WaadConnectionState State => state;

    /// <summary>
    /// Azure AD counts wrong passwords per account whatever the tenant was called: the tenant id (pinned, or learned
    /// from a discovery document) is shared by every connection to the tenant, by domain, alias or id; the name as
    /// configured covers the time before the first discovery. Nothing with the common endpoint (the UPN decides).
    /// </summary>
    public IReadOnlyList<string> UpstreamDirectories()
    {
        if (options is null || options.UseCommonEndpoint)
        {
            return [];
        }

        var id = options.PinnedTenantId ?? services.Metadata.KnownTenantId(options);
        var name = options.TenantPath.ToLowerInvariant();
        return id is { } tid && tid.ToString("D") != name ? [tid.ToString("D"), name] : [name];
    }

    /// <summary>The user's <c>ExternalKey</c> is "&lt;tid&gt;/&lt;oid&gt;" (<see cref="WaadProfileBuilder"/>).</summary>
    public UpstreamAccount? UpstreamAccountOf(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.ExternalKey?.Split('/') is [var tid, var oid] && Guid.TryParse(tid, out var tenant) && oid.Length > 0
            ? new UpstreamAccount(tenant.ToString("D"), oid)
            : null;
    }

    /// <summary>Checks the tenant and app registrations against Azure AD without a real user (<see cref="WaadPreflight"/>).</summary>
    public Task<PreflightReport> PreflightAsync(CancellationToken ct) => preflight.RunAsync(Definition, ct);

    public async Task<PasswordLoginResult> LoginAsync(string username, string password, LoginContext context, CancellationToken ct)
    {
        if (options is null)
        {
            return WaadRefusals.Misconfigured("invalid connection options: " + optionsProblem);
        }

        if (string.IsNullOrWhiteSpace(username) || string.IsNullOrEmpty(password))
        {
            return new PasswordLoginResult.InvalidCredentials(false, null, "empty username or password; nothing sent upstream");
        }

        await services.LoginSlots.WaitAsync(ct);
        try
        {
            return await LoginInSlotAsync(options, username, password, context, ct);
        }
        finally
        {
            services.LoginSlots.Release();
        }
    }

    /// <summary>
    /// The upstream part of a login, through the circuit of the connection's authority: when it is open the login fails
    /// fast without calling Azure AD. Only infrastructure failures count against it; any answer, a refusal too, is success.
    /// </summary>
    private async Task<PasswordLoginResult> LoginInSlotAsync(WaadOptions o, string username, string password, LoginContext context, CancellationToken ct)
    {
        var correlation = UpstreamCorrelationId(context.CorrelationId);
        try
        {
            return await state.Circuit!.ExecuteAsync(
                static (s, ct) => s.Self.UpstreamLoginAsync(s.Options, s.Username, s.Password, s.Correlation, ct),
                (Self: this, Options: o, Username: username, Password: password, Correlation: correlation), ct);
        }
        catch (UpstreamCallException e)
        {
            throw new UpstreamUnavailableException(Definition.Name, e.RetryAfter, $"{e.Detail} client_request_id={correlation}", e);
        }
    }

    private async ValueTask<PasswordLoginResult> UpstreamLoginAsync(WaadOptions o, string username, string password, string correlation, CancellationToken ct)
    {
        try
        {
            var issuer = await services.Metadata.GetIssuerAsync(o, correlation, ct);
            var (answer, usedSecret) = await PasswordGrantAsync(o, username, password, correlation, ct);
            if (answer.Error is { } error)
            {
                var cls = AadstsClassifier.Classify(error);
                var detail = $"{error.ToDetail()} client_request_id={correlation} client_auth={(usedSecret ? "secret" : "public")}"
                    + (secretProblem is null ? "" : " " + secretProblem);
                ThrowIfOutage(cls, error, detail);
                return WaadRefusals.ToResult(cls, detail);
            }

            var identity = await IdentityAsync(o, answer.Tokens!, state.RulesFor(o, issuer), usedSecret ? secret : null, correlation, ct);
            return new PasswordLoginResult.Authenticated(identity);
        }
        catch (WaadRefusalException r)
        {
            return r.Denied with { Detail = $"{r.Denied.Detail} client_request_id={correlation}" };
        }
    }

    /// <summary>Throttled or unavailable is an outage, counted by the circuit; any other answer is a refusal.</summary>
    private static void ThrowIfOutage(AadstsClass cls, AadError error, string detail)
    {
        if (cls == AadstsClass.Throttled)
        {
            throw new UpstreamCallException("throttled: " + detail, error.RetryAfter ?? DefaultThrottleWait, error.RetryAfter is not null);
        }

        if (cls == AadstsClass.Unavailable)
        {
            throw new UpstreamCallException("unavailable: " + detail, error.RetryAfter, error.RetryAfter is not null);
        }
    }

    /// <summary>
    /// The client secret rule (docs/waad.md): try as configured or as learned; Azure answers a client-authentication
    /// error (700025 public client sent a secret, 7000218 confidential client sent none) before it looks at the user,
    /// so one retry the other way costs the user no lockout count. What worked is remembered for this (id, version).
    /// </summary>
    private async Task<(TokenAnswer Answer, bool UsedSecret)> PasswordGrantAsync(
        WaadOptions o, string username, string password, string correlation, CancellationToken ct)
    {
        var send = secret is not null && state.ClientAuth != ClientAuthMode.Public;
        var answer = await services.Tokens.PasswordAsync(o, send ? secret : null, username, password, correlation, ct);
        var cls = answer.Error is { } e ? AadstsClassifier.Classify(e) : (AadstsClass?)null;
        if (cls == AadstsClass.PublicClientSentSecret && send)
        {
            state.ClientAuth = ClientAuthMode.Public;
            send = false;
            answer = await services.Tokens.PasswordAsync(o, null, username, password, correlation, ct);
        }
        else if (cls == AadstsClass.ConfidentialWithoutSecret && !send && secret is not null)
        {
            state.ClientAuth = ClientAuthMode.Confidential;
            send = true;
            answer = await services.Tokens.PasswordAsync(o, secret, username, password, correlation, ct);
        }

        if (answer.Tokens is not null)
        {
            state.ClientAuth = send ? ClientAuthMode.Confidential : ClientAuthMode.Public;
        }

        return (answer, send);
    }

    /// <summary>
    /// Tokens Azure AD issued (by password or by code) to the user: the id_token checked, Graph read when the token
    /// allows it, the identity built. One path for both sign-ins, so one Azure user is one Gatehouse user.
    /// </summary>
    /// <param name="clientSecret">The secret the grant authenticated with (null for a public client): Graph's refresh redemption sends the same.</param>
    private async Task<UpstreamIdentity> IdentityAsync(
        WaadOptions o, AzureTokens tokens, IdTokenRules rules, string? clientSecret, string correlation, CancellationToken ct)
    {
        var idToken = await services.Validator.ValidateAsync(tokens.IdToken, o, rules, correlation, ct);
        var graph = await EnrichAsync(o, tokens, idToken, clientSecret, correlation, ct);
        return WaadProfileBuilder.Build(idToken, graph, o, tokens);
    }

    private async Task<GraphEnrichment> EnrichAsync(
        WaadOptions o, AzureTokens tokens, ValidatedIdToken id, string? clientSecret, string correlation, CancellationToken ct)
    {
        if (!o.ExtProfile && !o.ExtGroups)
        {
            return new GraphEnrichment(null, GraphFlavor.None, null, null, null, null, null);
        }

        var flavor = GraphClient.FlavorOf(o.AppId, o.IdentityApi);
        var graphToken = flavor == GraphFlavor.None ? null : tokens.AccessToken;
        string? newRefreshToken = null;
        string? reason = null;
        if (flavor == GraphFlavor.None && o.GraphViaRefreshToken)
        {
            (graphToken, newRefreshToken, reason) = await RedeemForGraphAsync(o, tokens, clientSecret, correlation, ct);
            flavor = graphToken is null ? GraphFlavor.None : GraphFlavor.MicrosoftGraph;
        }
        else if (flavor == GraphFlavor.None)
        {
            reason = $"app_id {o.AppId} is a Web API, not a Graph API: its access token cannot read Graph "
                + "(use app_id https://graph.microsoft.com or gatehouse_graph_via_refresh_token)";
        }

        if (graphToken is null)
        {
            return new GraphEnrichment(null, flavor, null, o.ExtProfile ? reason : null, o.ExtGroups ? reason : null, null, newRefreshToken);
        }

        var budget = new GraphBudget(services.Time, o.GraphTimeout);
        JsonElement? me = null;
        string? profileReason = null;
        if (o.ExtProfile)
        {
            try
            {
                me = await services.Graph.GetMeAsync(flavor, o, graphToken, budget, correlation, ct);
            }
            catch (GraphException e)
            {
                profileReason = e.Message;
            }
        }

        GraphGroups? groups = null;
        string? groupsReason = null;
        string? note = null;
        if (o.ExtGroups)
        {
            try
            {
                groups = await services.Graph.GetGroupsAsync(flavor, o, graphToken, id.TenantId, budget, correlation, ct);
            }
            catch (GraphException e)
            {
                groupsReason = e.Message;
            }

            if (flavor == GraphFlavor.AadGraph && o.ExtNestedGroups)
            {
                note = "Azure AD Graph lists direct memberships only; nested groups need Microsoft Graph";
            }
        }

        return new GraphEnrichment(me, flavor, groups, profileReason, groupsReason, note, newRefreshToken);
    }

    private async Task<(string? Token, string? RefreshToken, string? Reason)> RedeemForGraphAsync(
        WaadOptions o, AzureTokens tokens, string? clientSecret, string correlation, CancellationToken ct)
    {
        if (tokens.RefreshToken is null)
        {
            return (null, null, "Azure AD returned no refresh token to redeem for Microsoft Graph");
        }

        try
        {
            var answer = await services.Tokens.RefreshForGraphAsync(o, clientSecret, tokens.RefreshToken, correlation, ct);
            return answer.Tokens is { } t
                ? (t.AccessToken, t.RefreshToken, null)
                : (null, null, "refresh token redemption for Microsoft Graph refused: " + answer.Error!.ToDetail());
        }
        catch (UpstreamCallException e)
        {
            return (null, null, "refresh token redemption for Microsoft Graph failed: " + e.Detail);
        }
    }

    /// <summary>Azure expects a GUID client-request-id; a non-GUID correlation id gets a fresh random one.</summary>
    private static string UpstreamCorrelationId(string correlationId) =>
        Guid.TryParse(correlationId, out var g) ? g.ToString() : new Guid(RandomNumberGenerator.GetBytes(16)).ToString();
}
