using Gatehouse.Core.Membership;

namespace Gatehouse.Connections.AzureAd;

public enum WaadIdentityApi
{
    /// <summary><c>microsoft-identity-platform-v2.0</c>: <c>/oauth2/v2.0/token</c> with scopes, signed id_token.</summary>
    V2,

    /// <summary><c>azure-active-directory-v1.0</c>: <c>/oauth2/token</c> with <c>resource=app_id</c>, unsigned id_token.</summary>
    V1,
}

public enum WaadUserIdAttribute
{
    Sub,
    Oid,
}

/// <summary>
/// Typed options of a <c>waad</c> connection, defaults applied (see <see cref="WaadOptionsParser"/> for the JSON
/// names). Auth0 options Gatehouse does not act on (WS-Fed, icon...) are validated and kept in the stored JSON,
/// but not carried here.
/// </summary>
public sealed record WaadOptions
{
    public required string ClientId { get; init; }

    /// <summary>Still protected with ISecretProtector, as stored. Null when the connection has none.</summary>
    public string? ClientSecretProtected { get; init; }

    /// <summary>The tenant path segment: tenantId, else tenant_domain, else domain; <c>common</c>/<c>organizations</c> with the common endpoint.</summary>
    public required string TenantPath { get; init; }

    /// <summary>The tenant GUID the tokens must carry, when known from the options (tenantId or a GUID tenant_domain).</summary>
    public Guid? PinnedTenantId { get; init; }

    public bool UseCommonEndpoint { get; init; }

    /// <summary>With the common endpoint: the tenants let in (empty: any organization). Ignored otherwise (the tenant is pinned).</summary>
    public TenantAllowList AllowedTenants { get; init; } = TenantAllowList.None;

    public string? AppId { get; init; }

    public WaadIdentityApi IdentityApi { get; init; } = WaadIdentityApi.V2;

    public WaadUserIdAttribute UserIdAttribute { get; init; } = WaadUserIdAttribute.Sub;

    public bool ExtProfile { get; init; }

    public bool ExtGroups { get; init; }

    public bool ExtNestedGroups { get; init; }

    public int MaxGroupsToRetrieve { get; init; } = WaadOptionsParser.DefaultMaxGroups;

    public bool AlwaysTrustEmailVerified { get; init; }

    public RootAttributesPolicy SetUserRootAttributes { get; init; } = RootAttributesPolicy.OnEachLogin;

    /// <summary>Extra Microsoft Graph scopes (v2 without app_id only).</summary>
    public IReadOnlyList<string> Scope { get; init; } = [];

    /// <summary>Attribute names never stored on the user.</summary>
    public IReadOnlySet<string> NonPersistentAttributes { get; init; } = new HashSet<string>();

    /// <summary>The <c>ext_*</c> attribute flags that are false (all default to true except the legacy four).</summary>
    public IReadOnlySet<string> DisabledExtAttributes { get; init; } = new HashSet<string>();

    public Uri AuthorityUrl { get; init; } = new("https://login.microsoftonline.com/");

    public Uri GraphUrl { get; init; } = new("https://graph.microsoft.com/");

    public Uri AadGraphUrl { get; init; } = new("https://graph.windows.net/");

    public TimeSpan TokenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public TimeSpan GraphTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Redeem Azure's multi-resource refresh token for a Microsoft Graph token when app_id is not a Graph API.</summary>
    public bool GraphViaRefreshToken { get; init; }

    /// <summary>
    /// The device flow of this connection runs at Azure AD (its device code flow with the app registration, a public
    /// client): users enter Azure's code at Azure's page, where its MFA and Conditional Access apply (docs/device-flow.md).
    /// </summary>
    public bool DeviceCodeViaAzure { get; init; }

    /// <summary>How long a user's Gatehouse refresh goes on without asking Azure AD whether the account still may (zero: never asks).</summary>
    public TimeSpan UpstreamRecheck { get; init; } = DefaultUpstreamRecheck;

    public static readonly TimeSpan DefaultUpstreamRecheck = TimeSpan.FromHours(1);

    public static readonly TimeSpan DefaultUpstreamRecheckGrace = TimeSpan.FromHours(6);

    /// <summary>How long past <see cref="UpstreamRecheck"/> refresh goes on while Azure AD cannot be asked (an outage).</summary>
    public TimeSpan UpstreamRecheckGrace { get; init; } = DefaultUpstreamRecheckGrace;

    /// <summary>Email domains of the connection's users (home realm discovery): tenant_domain, when a domain, and domain_aliases.</summary>
    public IReadOnlyList<string> HomeRealmDomains { get; init; } = [];

    /// <summary>Groups and app roles to Gatehouse roles (<c>gatehouse_role_mappings</c>), applied whenever tokens are issued.</summary>
    public RoleMapping RoleMapping { get; init; } = RoleMapping.None;

    public bool ExtEnabled(string flag) => !DisabledExtAttributes.Contains(flag);
}
