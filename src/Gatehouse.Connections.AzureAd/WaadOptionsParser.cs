using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.Core.Membership;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Checks the options of a <c>waad</c> connection (<see cref="WaadOptionsDocument"/>, read by <see cref="TypedOptions"/>)
/// and turns them into <see cref="WaadOptions"/>, defaults applied. Gatehouse's own options (docs/waad.md, "Options"):
/// the three URL options must name a host the server allows (<see cref="WaadHostPolicy"/>); with the common endpoint,
/// the tenants the options name are the only ones let in, and naming none lets any organization in, so emails are then
/// never marked verified (<c>always_set_emails_as_verified</c> is refused). Every problem is reported, each naming its
/// option (<c>options.identity_api must be one of ...</c>).
/// </summary>
public static partial class WaadOptionsParser
{
    public const int DefaultMaxGroups = 1000;
    public const string IdentityApiV1 = "azure-active-directory-v1.0";
    public const string IdentityApiV2 = "microsoft-identity-platform-v2.0";
    public const int MaxAllowedTenants = 100;

    /// <summary>The options naming a host that receives the password, the client secret or tokens.</summary>
    public static readonly IReadOnlyList<string> HostOptions =
        [Name(nameof(WaadOptionsDocument.AuthorityUrl)), Name(nameof(WaadOptionsDocument.GraphUrl)), Name(nameof(WaadOptionsDocument.AadGraphUrl))];

    public static WaadOptionsParseResult Parse(JsonElement options, WaadServerDefaults defaults)
    {
        var read = TypedOptions.Read<WaadOptionsDocument>(options);
        if (read.Value is not { } d)
        {
            return new WaadOptionsParseResult(null, read.Problems);
        }

        var check = new Checks(read.Problems);
        foreach (var unknown in read.Unknown)
        {
            check.Unknown(unknown);
        }

        var clientId = check.String(nameof(d.ClientId), d.ClientId, 100, ClientIdPattern(), "letters, digits and -:./_~");
        if (d.ClientId is null && !check.Failed(nameof(d.ClientId)))
        {
            check.Fail(nameof(d.ClientId), "is required");
        }

        check.String(nameof(d.ClientSecret), d.ClientSecret, 10000, null, null);
        var tenantDomain = check.Tenant(nameof(d.TenantDomain), d.TenantDomain);
        var domain = check.Tenant(nameof(d.Domain), d.Domain);
        var tenantId = check.Guid(nameof(d.TenantId), d.TenantId);
        var appId = check.String(nameof(d.AppId), d.AppId, 500, null, null);
        check.String(nameof(d.AppDomain), d.AppDomain, 255, null, null);
        var identityApi = check.OneOf(nameof(d.IdentityApi), d.IdentityApi, [IdentityApiV2, IdentityApiV1]);
        check.OneOf(nameof(d.WaadProtocol), d.WaadProtocol, ["openid-connect", "ws-federation"]);
        var userIdAttribute = check.OneOf(nameof(d.UseridAttribute), d.UseridAttribute, ["sub", "oid"]);
        var scope = check.Strings(nameof(d.Scope), d.Scope, 100, 255, ScopePattern(), "a scope without spaces");
        var domainAliases = check.Strings(nameof(d.DomainAliases), d.DomainAliases, 1000, 255, null, null);
        check.Strings(nameof(d.Thumbprints), d.Thumbprints, 20, 64, HexPattern(), "hexadecimal");
        var nonPersistent = check.Strings(nameof(d.NonPersistentAttrs), d.NonPersistentAttrs, 1000, 255, null, null);
        var trustEmail = check.OneOf(
            nameof(d.ShouldTrustEmailVerifiedConnection), d.ShouldTrustEmailVerifiedConnection, ["never_set_emails_as_verified", "always_set_emails_as_verified"]);
        var rootAttributes = check.OneOf(nameof(d.SetUserRootAttributes), d.SetUserRootAttributes, ["on_each_login", "on_first_login", "never_on_login"]);
        var maxGroups = check.MaxGroups(nameof(d.MaxGroupsToRetrieve), d.MaxGroupsToRetrieve);
        check.UpstreamParams(nameof(d.UpstreamParams), d.UpstreamParams);
        check.Integer(nameof(d.StrategyVersion), d.StrategyVersion, 0, int.MaxValue);
        check.String(nameof(d.CertRolloverNotification), d.CertRolloverNotification, 1000, null, null);
        check.HttpsUrl(nameof(d.IconUrl), d.IconUrl);
        var authority = check.BaseUrl(nameof(d.AuthorityUrl), d.AuthorityUrl, WaadHostKind.Authority, defaults) ?? defaults.AuthorityUrl;
        var graph = check.BaseUrl(nameof(d.GraphUrl), d.GraphUrl, WaadHostKind.Graph, defaults) ?? defaults.GraphUrl;
        var aadGraph = check.BaseUrl(nameof(d.AadGraphUrl), d.AadGraphUrl, WaadHostKind.AadGraph, defaults) ?? defaults.AadGraphUrl;
        var allowedTenants = check.Strings(nameof(d.AllowedTenants), d.AllowedTenants, MaxAllowedTenants, 255, null, null);
        var timeoutMs = check.Integer(nameof(d.TimeoutMs), d.TimeoutMs, 100, 120_000);
        // 0 turns the recheck off; at most a day apart, and Azure may be unreachable for at most a week before refresh stops.
        var recheckSeconds = check.Integer(nameof(d.UpstreamRecheckSeconds), d.UpstreamRecheckSeconds, 0, 86_400);
        var recheckGraceSeconds = check.Integer(nameof(d.UpstreamRecheckGraceSeconds), d.UpstreamRecheckGraceSeconds, 0, 604_800);

        var roleMapping = check.RoleMapping(nameof(d.RoleMappings), d, nonPersistent);

        var useCommon = d.UseCommonEndpoint || d.WaadCommonEndpoint;
        var v1 = identityApi == IdentityApiV1;
        if (v1 && string.IsNullOrEmpty(appId) && !check.Failed(nameof(d.AppId)))
        {
            check.Fail(nameof(d.AppId), $"is required when options.{Name(nameof(d.IdentityApi))} is {IdentityApiV1} (the resource the password grant asks for)");
        }

        if (useCommon && userIdAttribute == "oid")
        {
            check.Fail(nameof(d.UseridAttribute), $"must be sub when options.{Name(nameof(d.UseCommonEndpoint))} is true");
        }

        var tenantGuidFromDomain = tenantDomain is not null && System.Guid.TryParse(tenantDomain, out var g) ? g : (Guid?)null;
        if (tenantId is not null && tenantGuidFromDomain is not null && tenantId != tenantGuidFromDomain)
        {
            check.Fail(nameof(d.TenantId), $"does not match options.{Name(nameof(d.TenantDomain))}");
        }

        var tenant = tenantId?.ToString() ?? tenantDomain ?? domain;
        if (tenant is null && !useCommon && !check.Failed(nameof(d.TenantDomain)) && !check.Failed(nameof(d.Domain)) && !check.Failed(nameof(d.TenantId)))
        {
            check.Fail(nameof(d.TenantDomain), $"is required (or options.{Name(nameof(d.Domain))}, or options.{Name(nameof(d.TenantId))}) "
                + $"unless options.{Name(nameof(d.UseCommonEndpoint))} is true");
        }

        var allowed = TenantAllowList.From(useCommon, allowedTenants, tenantId, tenantDomain, domain);
        if (allowedTenants is not null && !check.Failed(nameof(d.AllowedTenants)))
        {
            if (allowed.Problem is { } problem)
            {
                check.Fail(nameof(d.AllowedTenants), problem);
            }
            else if (!useCommon)
            {
                check.Fail(nameof(d.AllowedTenants), $"applies only when options.{Name(nameof(d.UseCommonEndpoint))} is true "
                    + "(a connection to one tenant lets in that tenant only)");
            }
        }

        if (useCommon && trustEmail == "always_set_emails_as_verified" && allowed.IsEmpty)
        {
            check.Fail(nameof(d.ShouldTrustEmailVerifiedConnection), $"must be never_set_emails_as_verified when options.{Name(nameof(d.UseCommonEndpoint))} "
                + $"is true and no tenant is named (any organization could vouch for any email): name the tenants in options.{Name(nameof(d.AllowedTenants))}");
        }

        if (check.Problems.Count > 0 || clientId is null)
        {
            return new WaadOptionsParseResult(null, check.Problems);
        }

        var timeout = timeoutMs is null ? (TimeSpan?)null : TimeSpan.FromMilliseconds(timeoutMs.Value);
        var parsed = new WaadOptions
        {
            ClientId = clientId,
            ClientSecretProtected = string.IsNullOrEmpty(d.ClientSecret) ? null : d.ClientSecret,
            TenantPath = useCommon ? (v1 ? "common" : "organizations") : tenant!,
            PinnedTenantId = useCommon ? null : tenantId ?? tenantGuidFromDomain,
            UseCommonEndpoint = useCommon,
            AllowedTenants = allowed,
            AppId = string.IsNullOrEmpty(appId) ? null : appId,
            IdentityApi = v1 ? WaadIdentityApi.V1 : WaadIdentityApi.V2,
            UserIdAttribute = userIdAttribute == "oid" ? WaadUserIdAttribute.Oid : WaadUserIdAttribute.Sub,
            ExtProfile = d.ExtProfile,
            ExtGroups = d.ExtGroups || d.ExtNestedGroups,
            ExtNestedGroups = d.ExtNestedGroups,
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
            DisabledExtAttributes = d.DisabledAttributeFlags(),
            AuthorityUrl = authority,
            GraphUrl = graph,
            AadGraphUrl = aadGraph,
            TokenTimeout = timeout ?? defaults.TokenTimeout,
            GraphTimeout = timeout ?? defaults.GraphTimeout,
            GraphViaRefreshToken = d.GraphViaRefreshToken,
            DeviceCodeViaAzure = d.DeviceCodeViaAzure,
            UpstreamRecheck = recheckSeconds is { } every ? TimeSpan.FromSeconds(every) : WaadOptions.DefaultUpstreamRecheck,
            UpstreamRecheckGrace = recheckGraceSeconds is { } grace ? TimeSpan.FromSeconds(grace) : WaadOptions.DefaultUpstreamRecheckGrace,
            HomeRealmDomains = HomeRealm(tenantDomain, domainAliases),
            RoleMapping = roleMapping ?? RoleMapping.None,
        };
        return new WaadOptionsParseResult(parsed, []);
    }

    /// <summary>tenant_domain (unless a tenant id) and the domain_aliases that are domain names, lower case, once each.</summary>
    private static List<string> HomeRealm(string? tenantDomain, IReadOnlyList<string>? aliases) =>
        new[] { tenantDomain }.Concat(aliases ?? [])
            .Where(d => d is not null && Uri.CheckHostName(d) == UriHostNameType.Dns && !System.Guid.TryParse(d, out _))
            .Select(d => d!.ToLowerInvariant()).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>The JSON name of a <see cref="WaadOptionsDocument"/> property.</summary>
    private static string Name(string property) => TypedOptions.NameOf<WaadOptionsDocument>(property);

    [GeneratedRegex("^[a-zA-Z0-9\\-:./_~]+$")]
    private static partial Regex ClientIdPattern();

    [GeneratedRegex("^[0-9a-fA-F]+$")]
    private static partial Regex HexPattern();

    [GeneratedRegex("^\\S+$")]
    private static partial Regex ScopePattern();

    [GeneratedRegex("^[0-9]+$")]
    private static partial Regex DigitsPattern();

    /// <summary>
    /// Checks the values the JSON types let through, one option at a time (each named by its property, worded by its
    /// JSON name); an option already refused, for its type or by an earlier check, gets no second problem.
    /// </summary>
    private sealed class Checks(IReadOnlyList<OptionProblem> typeProblems)
    {
        public List<OptionProblem> Problems { get; } = [.. typeProblems];

        public bool Failed(string property) => Problems.Any(p => p.Option == Name(property));

        public void Fail(string property, string problem)
        {
            if (!Failed(property))
            {
                Problems.Add(new(Name(property), problem));
            }
        }

        /// <summary>A member <see cref="WaadOptionsDocument"/> does not declare, by its JSON name.</summary>
        public void Unknown(string member) => Problems.Add(new(member, "is not a known waad option"));

        public string? String(string property, string? value, int maxLength, Regex? pattern, string? patternText)
        {
            if (value is null)
            {
                return null;
            }

            if (value.Length > maxLength)
            {
                Fail(property, $"must be at most {maxLength} characters");
                return null;
            }

            if (pattern is not null && !pattern.IsMatch(value))
            {
                Fail(property, $"must contain only {patternText}");
                return null;
            }

            return value;
        }

        public string? Tenant(string property, string? value)
        {
            var s = String(property, value, 512, null, null);
            if (s is null || System.Guid.TryParse(s, out _) || Uri.CheckHostName(s) == UriHostNameType.Dns)
            {
                return s;
            }

            Fail(property, "must be a domain name (e.g. contoso.onmicrosoft.com) or a tenant id (GUID)");
            return null;
        }

        public Guid? Guid(string property, string? value)
        {
            var s = String(property, value, 36, null, null);
            if (s is null)
            {
                return null;
            }

            if (System.Guid.TryParseExact(s, "D", out var g))
            {
                return g;
            }

            Fail(property, "must be a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
            return null;
        }

        /// <summary>The value when allowed; the first allowed value (the default) when absent or refused.</summary>
        public string OneOf(string property, string? value, string[] allowed)
        {
            if (value is null || allowed.Contains(value))
            {
                return value ?? allowed[0];
            }

            Fail(property, "must be one of " + string.Join(", ", allowed));
            return allowed[0];
        }

        public IReadOnlyList<string>? Strings(string property, IReadOnlyList<string>? items, int maxItems, int maxLength, Regex? pattern, string? patternText)
        {
            if (items is null)
            {
                return null;
            }

            if (items.Count > maxItems)
            {
                Fail(property, $"must have at most {maxItems} items");
            }
            else if (items.Any(i => i.Length == 0 || i.Length > maxLength))
            {
                Fail(property, $"items must be 1 to {maxLength} characters");
            }
            else if (pattern is not null && items.Any(i => !pattern.IsMatch(i)))
            {
                Fail(property, $"items must be {patternText}");
            }
            else
            {
                return items;
            }

            return null;
        }

        /// <summary>
        /// The group-to-role mapping; its rules read what logins store on the user, so a rule on groups needs groups fetched
        /// and kept (ext_groups, the groups and group_ids attributes), a rule on app roles needs the roles attribute kept.
        /// </summary>
        public RoleMapping? RoleMapping(string property, WaadOptionsDocument d, IReadOnlyList<string>? nonPersistent)
        {
            var name = Name(property);
            var (mapping, problems) = RoleMappingReader.Read(name, d.RoleMappings);
            foreach (var problem in problems)
            {
                Problems.Add(new(problem.Path, problem.Message));
            }

            if (mapping is null)
            {
                return null;
            }

            bool Kept(string attribute, string flag) => !(nonPersistent ?? []).Contains(attribute) && !d.DisabledAttributeFlags().Contains(flag);
            if (mapping.Rules.Any(r => r.Source == RoleMappingSource.Group)
                && (!(d.ExtGroups || d.ExtNestedGroups) || !Kept("groups", "ext_groups") || !Kept("group_ids", "ext_group_ids")))
            {
                Fail(property, "maps groups: it needs options.ext_groups (or ext_nested_groups) true and the groups and group_ids attributes kept "
                    + "(ext_group_ids true, neither in non_persistent_attrs)");
            }

            if (mapping.Rules.Any(r => r.Source == RoleMappingSource.AppRole) && !Kept("roles", "ext_roles"))
            {
                Fail(property, "maps app roles: it needs the roles attribute kept (ext_roles true, roles not in non_persistent_attrs)");
            }

            return Failed(property) ? null : mapping;
        }

        public int? MaxGroups(string property, string? value)
        {
            var s = String(property, value, 10, DigitsPattern(), "digits (a string such as \"250\")");
            if (s is null)
            {
                return null;
            }

            if (!int.TryParse(s, out var n) || n < 1)
            {
                Fail(property, "must be a number of groups from 1 to 2147483647");
                return null;
            }

            return n;
        }

        public int? Integer(string property, int? value, int min, int max)
        {
            if (value is null || (value >= min && value <= max))
            {
                return value;
            }

            Fail(property, $"must be an integer from {min} to {max}");
            return null;
        }

        public void UpstreamParams(string property, System.Text.Json.Nodes.JsonObject? value)
        {
            foreach (var (name, param) in value ?? [])
            {
                var ok = param is System.Text.Json.Nodes.JsonObject entry && entry.Count == 1
                    && entry.All(p => p.Key is "value" or "alias" && p.Value?.GetValueKind() == JsonValueKind.String);
                if (!ok)
                {
                    Fail(property, $"entry '{name}' must be {{\"value\":\"...\"}} or {{\"alias\":\"...\"}}");
                    return;
                }
            }
        }

        public void HttpsUrl(string property, string? value)
        {
            var s = String(property, value, 2000, null, null);
            if (s is not null && !(Uri.TryCreate(s, UriKind.Absolute, out var u) && u.Scheme == Uri.UriSchemeHttps))
            {
                Fail(property, "must be an absolute https URL");
            }
        }

        public Uri? BaseUrl(string property, string? value, WaadHostKind kind, WaadServerDefaults defaults)
        {
            var s = String(property, value, 2000, null, null);
            if (s is null)
            {
                return null;
            }

            if (Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)
                && string.IsNullOrEmpty(u.Query) && string.IsNullOrEmpty(u.Fragment))
            {
                if (WaadHostPolicy.Problem(u, kind, defaults) is { } problem)
                {
                    Fail(property, problem);
                    return null;
                }

                return u.AbsoluteUri.EndsWith('/') ? u : new Uri(u.AbsoluteUri + "/");
            }

            Fail(property, "must be an absolute http(s) URL without query or fragment");
            return null;
        }
    }
}

public sealed record WaadOptionsParseResult(WaadOptions? Options, IReadOnlyList<OptionProblem> Problems)
{
    /// <summary>The problems as the Management API words them.</summary>
    public IReadOnlyList<string> Errors => [.. Problems.Select(p => p.ToString())];
}
