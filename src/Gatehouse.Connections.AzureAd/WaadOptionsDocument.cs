using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The JSON options of a <c>waad</c> connection as sent and stored: every option of Auth0's waad set (Auth0's Management
/// API reference, <c>ConnectionOptionsAzureAD</c>) and Gatehouse's own <c>gatehouse_*</c> options, each named once here.
/// A member not declared here is refused (docs/waad.md, "Options"); absent or null members keep the defaults below.
/// <see cref="WaadOptionsParser"/> checks the values and turns this into <see cref="WaadOptions"/>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WaadOptionsDocument
{
    [JsonPropertyName("client_id")] public string? ClientId { get; init; }
    [JsonPropertyName("client_secret")] public string? ClientSecret { get; init; }
    [JsonPropertyName("tenant_domain")] public string? TenantDomain { get; init; }
    [JsonPropertyName("domain")] public string? Domain { get; init; }
    [JsonPropertyName("tenantId")] public string? TenantId { get; init; }
    [JsonPropertyName("app_id")] public string? AppId { get; init; }
    [JsonPropertyName("app_domain")] public string? AppDomain { get; init; }
    [JsonPropertyName("identity_api")] public string? IdentityApi { get; init; }
    [JsonPropertyName("waad_protocol")] public string? WaadProtocol { get; init; }
    [JsonPropertyName("use_wsfed")] public bool UseWsfed { get; init; }
    [JsonPropertyName("useCommonEndpoint")] public bool UseCommonEndpoint { get; init; }
    [JsonPropertyName("waad_common_endpoint")] public bool WaadCommonEndpoint { get; init; }
    [JsonPropertyName("userid_attribute")] public string? UseridAttribute { get; init; }
    [JsonPropertyName("scope")] public IReadOnlyList<string>? Scope { get; init; }
    [JsonPropertyName("basic_profile")] public bool BasicProfile { get; init; }
    [JsonPropertyName("ext_profile")] public bool ExtProfile { get; init; }
    [JsonPropertyName("ext_groups")] public bool ExtGroups { get; init; }
    [JsonPropertyName("ext_nested_groups")] public bool ExtNestedGroups { get; init; }
    [JsonPropertyName("max_groups_to_retrieve")] public string? MaxGroupsToRetrieve { get; init; }
    [JsonPropertyName("api_enable_users")] public bool ApiEnableUsers { get; init; }
    [JsonPropertyName("should_trust_email_verified_connection")] public string? ShouldTrustEmailVerifiedConnection { get; init; }
    [JsonPropertyName("set_user_root_attributes")] public string? SetUserRootAttributes { get; init; }
    [JsonPropertyName("upstream_params")] public JsonObject? UpstreamParams { get; init; }
    [JsonPropertyName("thumbprints")] public IReadOnlyList<string>? Thumbprints { get; init; }
    [JsonPropertyName("icon_url")] public string? IconUrl { get; init; }
    [JsonPropertyName("granted")] public bool Granted { get; init; }
    [JsonPropertyName("domain_aliases")] public IReadOnlyList<string>? DomainAliases { get; init; }
    [JsonPropertyName("non_persistent_attrs")] public IReadOnlyList<string>? NonPersistentAttrs { get; init; }
    [JsonPropertyName("federated_connections_access_tokens")] public JsonObject? FederatedConnectionsAccessTokens { get; init; }
    [JsonPropertyName("strategy_version")] public int? StrategyVersion { get; init; }
    [JsonPropertyName("cert_rollover_notification")] public string? CertRolloverNotification { get; init; }

    // Gatehouse's own options (docs/waad.md).
    [JsonPropertyName("gatehouse_authority_url")] public string? AuthorityUrl { get; init; }
    [JsonPropertyName("gatehouse_graph_url")] public string? GraphUrl { get; init; }
    [JsonPropertyName("gatehouse_aad_graph_url")] public string? AadGraphUrl { get; init; }
    [JsonPropertyName("gatehouse_timeout_ms")] public int? TimeoutMs { get; init; }
    [JsonPropertyName("gatehouse_graph_via_refresh_token")] public bool GraphViaRefreshToken { get; init; }
    [JsonPropertyName("gatehouse_device_code_via_azure")] public bool DeviceCodeViaAzure { get; init; }
    [JsonPropertyName("gatehouse_allowed_tenants")] public IReadOnlyList<string>? AllowedTenants { get; init; }
    [JsonPropertyName("gatehouse_upstream_recheck_seconds")] public int? UpstreamRecheckSeconds { get; init; }
    [JsonPropertyName("gatehouse_upstream_recheck_grace_seconds")] public int? UpstreamRecheckGraceSeconds { get; init; }

    /// <summary>Groups and app roles to Gatehouse roles: an array of rules, read by <see cref="Gatehouse.Core.Membership.RoleMappingReader"/>.</summary>
    [JsonPropertyName("gatehouse_role_mappings")] public JsonElement? RoleMappings { get; init; }

    // Per-attribute persistence: false keeps that attribute off the user ("When false, prevents storing ..."). All
    // default to true except the legacy four at the end.
    [JsonPropertyName("ext_access_token"), StoresAttribute] public bool ExtAccessToken { get; init; } = true;
    [JsonPropertyName("ext_account_enabled"), StoresAttribute] public bool ExtAccountEnabled { get; init; } = true;
    [JsonPropertyName("ext_assigned_licenses"), StoresAttribute] public bool ExtAssignedLicenses { get; init; } = true;
    [JsonPropertyName("ext_azure_id"), StoresAttribute] public bool ExtAzureId { get; init; } = true;
    [JsonPropertyName("ext_city"), StoresAttribute] public bool ExtCity { get; init; } = true;
    [JsonPropertyName("ext_country"), StoresAttribute] public bool ExtCountry { get; init; } = true;
    [JsonPropertyName("ext_department"), StoresAttribute] public bool ExtDepartment { get; init; } = true;
    [JsonPropertyName("ext_dir_sync_enabled"), StoresAttribute] public bool ExtDirSyncEnabled { get; init; } = true;
    [JsonPropertyName("ext_email"), StoresAttribute] public bool ExtEmail { get; init; } = true;
    [JsonPropertyName("ext_expires_in"), StoresAttribute] public bool ExtExpiresIn { get; init; } = true;
    [JsonPropertyName("ext_family_name"), StoresAttribute] public bool ExtFamilyName { get; init; } = true;
    [JsonPropertyName("ext_fax"), StoresAttribute] public bool ExtFax { get; init; } = true;
    [JsonPropertyName("ext_given_name"), StoresAttribute] public bool ExtGivenName { get; init; } = true;
    [JsonPropertyName("ext_group_ids"), StoresAttribute] public bool ExtGroupIds { get; init; } = true;
    [JsonPropertyName("ext_job_title"), StoresAttribute] public bool ExtJobTitle { get; init; } = true;
    [JsonPropertyName("ext_last_sync"), StoresAttribute] public bool ExtLastSync { get; init; } = true;
    [JsonPropertyName("ext_mobile"), StoresAttribute] public bool ExtMobile { get; init; } = true;
    [JsonPropertyName("ext_name"), StoresAttribute] public bool ExtName { get; init; } = true;
    [JsonPropertyName("ext_nickname"), StoresAttribute] public bool ExtNickname { get; init; } = true;
    [JsonPropertyName("ext_oid"), StoresAttribute] public bool ExtOid { get; init; } = true;
    [JsonPropertyName("ext_phone"), StoresAttribute] public bool ExtPhone { get; init; } = true;
    [JsonPropertyName("ext_physical_delivery_office_name"), StoresAttribute] public bool ExtPhysicalDeliveryOfficeName { get; init; } = true;
    [JsonPropertyName("ext_postal_code"), StoresAttribute] public bool ExtPostalCode { get; init; } = true;
    [JsonPropertyName("ext_preferred_language"), StoresAttribute] public bool ExtPreferredLanguage { get; init; } = true;
    [JsonPropertyName("ext_provisioned_plans"), StoresAttribute] public bool ExtProvisionedPlans { get; init; } = true;
    [JsonPropertyName("ext_provisioning_errors"), StoresAttribute] public bool ExtProvisioningErrors { get; init; } = true;
    [JsonPropertyName("ext_proxy_addresses"), StoresAttribute] public bool ExtProxyAddresses { get; init; } = true;
    [JsonPropertyName("ext_puid"), StoresAttribute] public bool ExtPuid { get; init; } = true;
    [JsonPropertyName("ext_refresh_token"), StoresAttribute] public bool ExtRefreshToken { get; init; } = true;
    [JsonPropertyName("ext_roles"), StoresAttribute] public bool ExtRoles { get; init; } = true;
    [JsonPropertyName("ext_state"), StoresAttribute] public bool ExtState { get; init; } = true;
    [JsonPropertyName("ext_street"), StoresAttribute] public bool ExtStreet { get; init; } = true;
    [JsonPropertyName("ext_telephoneNumber"), StoresAttribute] public bool ExtTelephoneNumber { get; init; } = true;
    [JsonPropertyName("ext_tenantid"), StoresAttribute] public bool ExtTenantid { get; init; } = true;
    [JsonPropertyName("ext_upn"), StoresAttribute] public bool ExtUpn { get; init; } = true;
    [JsonPropertyName("ext_usage_location"), StoresAttribute] public bool ExtUsageLocation { get; init; } = true;
    [JsonPropertyName("ext_user_id"), StoresAttribute] public bool ExtUserId { get; init; } = true;
    [JsonPropertyName("ext_admin"), StoresAttribute] public bool ExtAdmin { get; init; }
    [JsonPropertyName("ext_agreed_terms"), StoresAttribute] public bool ExtAgreedTerms { get; init; }
    [JsonPropertyName("ext_assigned_plans"), StoresAttribute] public bool ExtAssignedPlans { get; init; }
    [JsonPropertyName("ext_is_suspended"), StoresAttribute] public bool ExtIsSuspended { get; init; }

    private static readonly (string Name, PropertyInfo Property)[] AttributeFlags =
    [
        .. typeof(WaadOptionsDocument).GetProperties()
            .Where(p => p.GetCustomAttribute<StoresAttributeAttribute>() is not null)
            .Select(p => (p.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name, p)),
    ];

    /// <summary>The JSON names of the per-attribute flags that are false.</summary>
    public IReadOnlySet<string> DisabledAttributeFlags() =>
        AttributeFlags.Where(f => !(bool)f.Property.GetValue(this)!).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Marks an <c>ext_*</c> option that says whether one attribute is stored on the user.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class StoresAttributeAttribute : Attribute
{
}
