using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Reads and validates the JSON options of a <c>waad</c> connection: Auth0's option set (docs/waad.md, Options) plus
/// Gatehouse's own, all optional:
/// <list type="bullet">
/// <item><c>gatehouse_authority_url</c>: Azure AD login host (default: server setting, else https://login.microsoftonline.com/).</item>
/// <item><c>gatehouse_graph_url</c>: Microsoft Graph base (default: server setting, else https://graph.microsoft.com/).</item>
/// <item><c>gatehouse_aad_graph_url</c>: Azure AD Graph base (default: server setting, else https://graph.windows.net/).</item>
/// <item><c>gatehouse_timeout_ms</c>: per-request time-out for the token endpoint and the Graph budget (100..120000).</item>
/// <item><c>gatehouse_graph_via_refresh_token</c>: redeem Azure's refresh token for a Microsoft Graph token so
/// groups and extended profile work with a Web API app_id.</item>
/// <item><c>gatehouse_allowed_tenants</c>: with the common endpoint, the tenants (ids or verified domains) whose users
/// may sign in, besides the one named by tenantId / tenant_domain / domain.</item>
/// </list>
/// The three URL options must name a host the server allows (<see cref="WaadHostPolicy"/>). With the common endpoint,
/// the tenants the options name are the only ones let in; naming none lets any organization in, and then emails are
/// never marked verified (<c>always_set_emails_as_verified</c> is refused).
/// Every problem is reported, each naming its option (<c>options.identity_api must be one of ...</c>).
/// </summary>
public static partial class WaadOptionsParser
{
    public const int DefaultMaxGroups = 1000;
    public const string IdentityApiV1 = "azure-active-directory-v1.0";
    public const string IdentityApiV2 = "microsoft-identity-platform-v2.0";

    /// <summary>ext_* attribute flags that default to true ("when false, prevents storing ...").</summary>
    public static readonly IReadOnlyList<string> ExtAttributeFlags =
    [
        "ext_access_token", "ext_account_enabled", "ext_assigned_licenses", "ext_azure_id", "ext_city", "ext_country",
        "ext_department", "ext_dir_sync_enabled", "ext_email", "ext_expires_in", "ext_family_name", "ext_fax",
        "ext_given_name", "ext_group_ids", "ext_job_title", "ext_last_sync", "ext_mobile", "ext_name", "ext_nickname",
        "ext_oid", "ext_phone", "ext_physical_delivery_office_name", "ext_postal_code", "ext_preferred_language",
        "ext_provisioned_plans", "ext_provisioning_errors", "ext_proxy_addresses", "ext_puid", "ext_refresh_token",
        "ext_roles", "ext_state", "ext_street", "ext_telephoneNumber", "ext_tenantid", "ext_upn", "ext_usage_location",
        "ext_user_id",
    ];

    /// <summary>Legacy ext_* flags that default to false.</summary>
    public static readonly IReadOnlyList<string> ExtFlagsDefaultFalse = ["ext_admin", "ext_agreed_terms", "ext_assigned_plans", "ext_is_suspended"];

    private static readonly HashSet<string> BoolOptions = new(StringComparer.Ordinal)
    {
        "use_wsfed", "useCommonEndpoint", "waad_common_endpoint", "basic_profile", "ext_profile", "ext_groups",
        "ext_nested_groups", "api_enable_users", "granted", "gatehouse_graph_via_refresh_token",
    };

    private static readonly HashSet<string> OtherOptions = new(StringComparer.Ordinal)
    {
        "client_id", "client_secret", "tenant_domain", "domain", "tenantId", "app_id", "app_domain", "identity_api",
        "waad_protocol", "userid_attribute", "scope", "max_groups_to_retrieve", "domain_aliases",
        "should_trust_email_verified_connection", "set_user_root_attributes", "upstream_params", "thumbprints",
        "icon_url", "non_persistent_attrs", "federated_connections_access_tokens", "strategy_version",
        "cert_rollover_notification", "gatehouse_authority_url", "gatehouse_graph_url", "gatehouse_aad_graph_url",
        "gatehouse_timeout_ms", "gatehouse_allowed_tenants",
    };

    /// <summary>The options naming a host that receives the password, the client secret or tokens.</summary>
    public static readonly IReadOnlyList<string> HostOptions = ["gatehouse_authority_url", "gatehouse_graph_url", "gatehouse_aad_graph_url"];

    public const int MaxAllowedTenants = 100;

    public static WaadOptionsParseResult Parse(JsonElement options, WaadServerDefaults defaults)
    {
        if (options.ValueKind != JsonValueKind.Object)
        {
            return new WaadOptionsParseResult(null, [new OptionProblem(null, "options must be an object")]);
        }

        var reader = new Reader();
        foreach (var property in options.EnumerateObject())
        {
            if (!IsKnown(property.Name))
            {
                reader.Errors.Add(new(property.Name, "is not a known waad option"));
            }
            else if (property.Value.ValueKind != JsonValueKind.Null)
            {
                reader.Values[property.Name] = property.Value;
            }
        }

        var disabledExt = new HashSet<string>(StringComparer.Ordinal);
        foreach (var flag in ExtAttributeFlags)
        {
            if (!reader.Bool(flag, true))
            {
                disabledExt.Add(flag);
            }
        }

        foreach (var flag in ExtFlagsDefaultFalse)
        {
            if (!reader.Bool(flag, false))
            {
                disabledExt.Add(flag);
            }
        }

        foreach (var name in BoolOptions)
        {
            reader.Bool(name, false);
        }

        var clientId = reader.String("client_id", 100, ClientIdPattern(), "letters, digits and -:./_~");
        if (clientId is null && !reader.Values.ContainsKey("client_id"))
        {
            reader.Errors.Add(new("client_id", "is required"));
        }

        reader.String("client_secret", 10000, null, null);
        var tenantDomain = reader.Tenant("tenant_domain");
        var domain = reader.Tenant("domain");
        var tenantId = reader.Guid("tenantId");
        var appId = reader.String("app_id", 500, null, null);
        reader.String("app_domain", 255, null, null);
        var identityApi = reader.OneOf("identity_api", [IdentityApiV2, IdentityApiV1], IdentityApiV2);
        reader.OneOf("waad_protocol", ["openid-connect", "ws-federation"], "openid-connect");
        var userIdAttribute = reader.OneOf("userid_attribute", ["sub", "oid"], "sub");
        var scope = reader.StringArray("scope", 100, 255, ScopePattern(), "a scope without spaces");
        var domainAliases = reader.StringArray("domain_aliases", 1000, 255, null, null);
        reader.StringArray("thumbprints", 20, 64, HexPattern(), "hexadecimal");
        var nonPersistent = reader.StringArray("non_persistent_attrs", 1000, 255, null, null);
        var trustEmail = reader.OneOf(
            "should_trust_email_verified_connection", ["never_set_emails_as_verified", "always_set_emails_as_verified"], "never_set_emails_as_verified");
        var rootAttributes = reader.OneOf("set_user_root_attributes", ["on_each_login", "on_first_login", "never_on_login"], "on_each_login");
        var maxGroups = reader.MaxGroups("max_groups_to_retrieve");
        reader.UpstreamParams("upstream_params");
        reader.ObjectOrNull("federated_connections_access_tokens");
        reader.Integer("strategy_version", 0, int.MaxValue);
        reader.String("cert_rollover_notification", 1000, null, null);
        reader.HttpsUrl("icon_url");
        var authority = reader.BaseUrl("gatehouse_authority_url", WaadHostKind.Authority, defaults) ?? defaults.AuthorityUrl;
        var graph = reader.BaseUrl("gatehouse_graph_url", WaadHostKind.Graph, defaults) ?? defaults.GraphUrl;
        var aadGraph = reader.BaseUrl("gatehouse_aad_graph_url", WaadHostKind.AadGraph, defaults) ?? defaults.AadGraphUrl;
        var allowedTenants = reader.StringArray("gatehouse_allowed_tenants", MaxAllowedTenants, 255, null, null);
        var timeoutMs = reader.Integer("gatehouse_timeout_ms", 100, 120_000);

        var useCommon = reader.Bool("useCommonEndpoint", false) || reader.Bool("waad_common_endpoint", false);
        var v1 = identityApi == IdentityApiV1;
        if (v1 && string.IsNullOrEmpty(appId) && !reader.HasError("app_id"))
        {
            reader.Errors.Add(new("app_id", $"is required when options.identity_api is {IdentityApiV1} (the resource the password grant asks for)"));
        }

        if (useCommon && userIdAttribute == "oid")
        {
            reader.Errors.Add(new("userid_attribute", "must be sub when options.useCommonEndpoint is true"));
        }

        var tenantGuidFromDomain = tenantDomain is not null && System.Guid.TryParse(tenantDomain, out var g) ? g : (Guid?)null;
        if (tenantId is not null && tenantGuidFromDomain is not null && tenantId != tenantGuidFromDomain)
        {
            reader.Errors.Add(new("tenantId", "does not match options.tenant_domain"));
        }

        var tenant = tenantId?.ToString() ?? tenantDomain ?? domain;
        if (tenant is null && !useCommon && !reader.HasError("tenant_domain") && !reader.HasError("domain") && !reader.HasError("tenantId"))
        {
            reader.Errors.Add(new("tenant_domain", "is required (or options.domain, or options.tenantId) unless options.useCommonEndpoint is true"));
        }

        var allowed = TenantAllowList.From(useCommon, allowedTenants, tenantId, tenantDomain, domain);
        if (allowedTenants is not null && !reader.HasError("gatehouse_allowed_tenants"))
        {
            if (allowed.Problem is { } problem)
            {
                reader.Errors.Add(new("gatehouse_allowed_tenants", problem));
            }
            else if (!useCommon)
            {
                reader.Errors.Add(new("gatehouse_allowed_tenants", "applies only when options.useCommonEndpoint is true "
                    + "(a connection to one tenant lets in that tenant only)"));
            }
        }

        if (useCommon && trustEmail == "always_set_emails_as_verified" && allowed.IsEmpty)
        {
            reader.Errors.Add(new("should_trust_email_verified_connection", "must be never_set_emails_as_verified when options.useCommonEndpoint "
                + "is true and no tenant is named (any organization could vouch for any email): name the tenants in options.gatehouse_allowed_tenants"));
        }

        if (reader.Errors.Count > 0 || clientId is null)
        {
            return new WaadOptionsParseResult(null, reader.Errors);
        }

        var secret = reader.Values.TryGetValue("client_secret", out var s) ? s.GetString() : null;
        var timeout = timeoutMs is null ? (TimeSpan?)null : TimeSpan.FromMilliseconds(timeoutMs.Value);
        var parsed = new WaadOptions
        {
            ClientId = clientId,
            ClientSecretProtected = string.IsNullOrEmpty(secret) ? null : secret,
            TenantPath = useCommon ? (v1 ? "common" : "organizations") : tenant!,
            PinnedTenantId = useCommon ? null : tenantId ?? tenantGuidFromDomain,
            UseCommonEndpoint = useCommon,
            AllowedTenants = allowed,
            AppId = string.IsNullOrEmpty(appId) ? null : appId,
            IdentityApi = v1 ? WaadIdentityApi.V1 : WaadIdentityApi.V2,
            UserIdAttribute = userIdAttribute == "oid" ? WaadUserIdAttribute.Oid : WaadUserIdAttribute.Sub,
            ExtProfile = reader.Bool("ext_profile", false),
            ExtGroups = reader.Bool("ext_groups", false) || reader.Bool("ext_nested_groups", false),
            ExtNestedGroups = reader.Bool("ext_nested_groups", false),
            MaxGroupsToRetrieve = maxGroups ?? DefaultMaxGroups,
            AlwaysTrustEmailVerified = trustEmail == "always_set_emails_as_verified",
            SetUserRootAttributes = rootAttributes switch
            {
                "on_first_login" => RootAttributesPolicy.OnFirstLogin,
                "never_on_login" => RootAttributesPolicy.NeverOnLogin,
                _ => RootAttributesPolicy.OnEachLogin,
            },
            Scope = scope ?? [],
            NonPersistentAttributes = new HashSet<string>(nonPersistent ?? [], StringComparer.Ordinal),
            DisabledExtAttributes = disabledExt,
            AuthorityUrl = authority,
            GraphUrl = graph,
            AadGraphUrl = aadGraph,
            TokenTimeout = timeout ?? defaults.TokenTimeout,
            GraphTimeout = timeout ?? defaults.GraphTimeout,
            GraphViaRefreshToken = reader.Bool("gatehouse_graph_via_refresh_token", false),
            HomeRealmDomains = HomeRealm(tenantDomain, domainAliases),
        };
        return new WaadOptionsParseResult(parsed, []);
    }

    /// <summary>tenant_domain (unless a tenant id) and the domain_aliases that are domain names, lower case, once each.</summary>
    private static List<string> HomeRealm(string? tenantDomain, IReadOnlyList<string>? aliases) =>
        new[] { tenantDomain }.Concat(aliases ?? [])
            .Where(d => d is not null && Uri.CheckHostName(d) == UriHostNameType.Dns && !System.Guid.TryParse(d, out _))
            .Select(d => d!.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    private static bool IsKnown(string name) =>
        BoolOptions.Contains(name) || OtherOptions.Contains(name)
        || ExtAttributeFlags.Contains(name) || ExtFlagsDefaultFalse.Contains(name);

    [GeneratedRegex("^[a-zA-Z0-9\\-:./_~]+$")]
    private static partial Regex ClientIdPattern();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex("^\\S+$")]
    private static partial Regex ScopePattern();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex DigitsPattern();

    /// <summary>Reads one option at a time; each problem is recorded once, naming the option.</summary>
    private sealed class Reader
    {
        public Dictionary<string, JsonElement> Values { get; } = new(StringComparer.Ordinal);

        public List<OptionProblem> Errors { get; } = [];

        private readonly HashSet<string> failed = new(StringComparer.Ordinal);

        public bool HasError(string name) => failed.Contains(name);

        private void Fail(string name, string problem)
        {
            if (failed.Add(name))
            {
                Errors.Add(new(name, problem));
            }
        }

        public bool Bool(string name, bool fallback)
        {
            if (!Values.TryGetValue(name, out var v))
            {
                return fallback;
            }

            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return v.GetBoolean();
            }

            Fail(name, "must be a boolean");
            return fallback;
        }

        public string? String(string name, int maxLength, Regex? pattern, string? patternText)
        {
            if (!Values.TryGetValue(name, out var v))
            {
                return null;
            }

            if (v.ValueKind != JsonValueKind.String)
            {
                Fail(name, "must be a string");
                return null;
            }

            var s = v.GetString()!;
            if (s.Length > maxLength)
            {
                Fail(name, $"must be at most {maxLength} characters");
                return null;
            }

            if (pattern is not null && !pattern.IsMatch(s))
            {
                Fail(name, $"must contain only {patternText}");
                return null;
            }

            return s;
        }

        public string? Tenant(string name)
        {
            var s = String(name, 512, null, null);
            if (s is null)
            {
                return null;
            }

            if (System.Guid.TryParse(s, out _) || Uri.CheckHostName(s) == UriHostNameType.Dns)
            {
                return s;
            }

            Fail(name, "must be a domain name (e.g. contoso.onmicrosoft.com) or a tenant id (GUID)");
            return null;
        }

        public Guid? Guid(string name)
        {
            var s = String(name, 36, null, null);
            if (s is null)
            {
                return null;
            }

            if (System.Guid.TryParseExact(s, "D", out var g))
            {
                return g;
            }

            Fail(name, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
            return null;
        }

        public string? OneOf(string name, string[] allowed, string fallback)
        {
            if (!Values.TryGetValue(name, out var v))
            {
                return fallback;
            }

            if (v.ValueKind == JsonValueKind.String && allowed.Contains(v.GetString()))
            {
                return v.GetString();
            }

            Fail(name, "must be one of " + string.Join(", ", allowed));
            return fallback;
        }

        public List<string>? StringArray(string name, int maxItems, int maxLength, Regex? pattern, string? patternText)
        {
            if (!Values.TryGetValue(name, out var v))
            {
                return null;
            }

            if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
            {
                Fail(name, "must be an array of strings");
                return null;
            }

            var items = v.EnumerateArray().Select(e => e.GetString()!).ToList();
            if (items.Count > maxItems)
            {
                Fail(name, $"must have at most {maxItems} items");
            }
            else if (items.Any(i => i.Length == 0 || i.Length > maxLength))
            {
                Fail(name, $"items must be 1 to {maxLength} characters");
            }
            else if (pattern is not null && items.Any(i => !pattern.IsMatch(i)))
            {
                Fail(name, $"items must be {patternText}");
            }
            else
            {
                return items;
            }

            return null;
        }

        public int? MaxGroups(string name)
        {
            var s = String(name, 10, DigitsPattern(), "digits (a string such as \"250\")");
            if (s is null)
            {
                return null;
            }

            if (!int.TryParse(s, out var n) || n < 1)
            {
                Fail(name, "must be a number of groups from 1 to 2147483647");
                return null;
            }

            return n;
        }

        public int? Integer(string name, int min, int max)
        {
            if (!Values.TryGetValue(name, out var v))
            {
                return null;
            }

            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var n) && n >= min && n <= max)
            {
                return n;
            }

            Fail(name, $"must be an integer from {min} to {max}");
            return null;
        }

        public void ObjectOrNull(string name)
        {
            if (Values.TryGetValue(name, out var v) && v.ValueKind != JsonValueKind.Object)
            {
                Fail(name, "must be an object or null");
            }
        }

        public void UpstreamParams(string name)
        {
            if (!Values.TryGetValue(name, out var v))
            {
                return;
            }

            if (v.ValueKind != JsonValueKind.Object)
            {
                Fail(name, "must be an object or null");
                return;
            }

            foreach (var param in v.EnumerateObject())
            {
                var ok = param.Value.ValueKind == JsonValueKind.Object
                    && param.Value.EnumerateObject().Count() == 1
                    && param.Value.EnumerateObject().All(p => p.Name is "value" or "alias" && p.Value.ValueKind == JsonValueKind.String);
                if (!ok)
                {
                    Fail(name, $"entry '{param.Name}' must be {{\"value\":\"...\"}} or {{\"alias\":\"...\"}}");
                    return;
                }
            }
        }

        public void HttpsUrl(string name)
        {
            var s = String(name, 2000, null, null);
            if (s is not null && !(Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps))
            {
                Fail(name, "must be an absolute https URL");
            }
        }

        public Uri? BaseUrl(string name, WaadHostKind kind, WaadServerDefaults defaults)
        {
            var s = String(name, 2000, null, null);
            if (s is null)
            {
                return null;
            }

            if (Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)
                && string.IsNullOrEmpty(u.Query) && string.IsNullOrEmpty(u.Fragment))
            {
                if (WaadHostPolicy.Problem(u, kind, defaults) is { } problem)
                {
                    Fail(name, problem);
                    return null;
                }

                return u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
            }

            Fail(name, "must be an absolute http(s) URL without query or fragment");
            return null;
        }
    }
}

public sealed record WaadOptionsParseResult(WaadOptions? Options, IReadOnlyList<OptionProblem> Problems)
{
    /// <summary>The problems as the Management API words them.</summary>
    public IReadOnlyList<string> Errors => [.. Problems.Select(p => p.ToString())];
}
