using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gatehouse.Connections.AzureAd;

/// <summary>What Graph added to a login, or why it could not.</summary>
internal sealed record GraphEnrichment(
    JsonElement? Me,
    GraphFlavor Flavor,
    GraphGroups? Groups,
    string? ProfileUnavailableReason,
    string? GroupsUnavailableReason,
    string? GroupsNote,
    string? RefreshToken);

internal static class WaadProfileBuilder
{
    /// <summary>Extended attributes from Graph /me: (attribute, ext_* flag, Microsoft Graph property, Azure AD Graph property).</summary>
    public static readonly IReadOnlyList<(string Attribute, string Flag, string? MsGraph, string? AadGraph)> ExtendedAttributes =
    [
        ("account_enabled", "ext_account_enabled", "accountEnabled", "accountEnabled"),
        ("assigned_licenses", "ext_assigned_licenses", "assignedLicenses", "assignedLicenses"),
        ("assigned_plans", "ext_assigned_plans", "assignedPlans", "assignedPlans"),
        ("city", "ext_city", "city", "city"),
        ("country", "ext_country", "country", "country"),
        ("department", "ext_department", "department", "department"),
        ("dir_sync_enabled", "ext_dir_sync_enabled", "onPremisesSyncEnabled", "dirSyncEnabled"),
        ("fax", "ext_fax", "faxNumber", "facsimileTelephoneNumber"),
        ("job_title", "ext_job_title", "jobTitle", "jobTitle"),
        ("last_sync", "ext_last_sync", "onPremisesLastSyncDateTime", "lastDirSyncTime"),
        ("mobile", "ext_mobile", "mobilePhone", "mobile"),
        ("phone", "ext_phone", "businessPhones", "telephoneNumber"),
        ("telephoneNumber", "ext_telephoneNumber", null, "telephoneNumber"),
        ("physical_delivery_office_name", "ext_physical_delivery_office_name", "officeLocation", "physicalDeliveryOfficeName"),
        ("postal_code", "ext_postal_code", "postalCode", "postalCode"),
        ("preferred_language", "ext_preferred_language", "preferredLanguage", "preferredLanguage"),
        ("provisioned_plans", "ext_provisioned_plans", "provisionedPlans", "provisionedPlans"),
        ("provisioning_errors", "ext_provisioning_errors", "onPremisesProvisioningErrors", "provisioningErrors"),
        ("proxy_addresses", "ext_proxy_addresses", "proxyAddresses", "proxyAddresses"),
        ("state", "ext_state", "state", "state"),
        ("street", "ext_street", "streetAddress", "streetAddress"),
        ("usage_location", "ext_usage_location", "usageLocation", "usageLocation"),
    ];

    /// <summary>A user as Azure AD described them, normalized the way Auth0 does for <c>waad</c> (docs/waad.md).</summary>
    public static UpstreamIdentity Build(ValidatedIdToken token, GraphEnrichment graph, WaadOptions o, AzureTokens tokens)
    {
        var me = graph.Me;
        var aad = graph.Flavor == GraphFlavor.AadGraph;
        var upn = token.Claim("upn") ?? token.Claim("preferred_username") ?? token.Claim("unique_name") ?? MeString(me, "userPrincipalName");
        var azureEmail = token.Claim("email") ?? MeString(me, "mail");
        var email = azureEmail ?? (upn is not null && upn.Contains('@') ? upn : null);
        var givenName = token.Claim("given_name") ?? MeString(me, "givenName");
        var familyName = token.Claim("family_name") ?? MeString(me, "surname");
        var name = token.Claim("name") ?? MeString(me, "displayName")
            ?? (givenName is not null || familyName is not null ? $"{givenName} {familyName}".Trim() : upn);
        var nickname = (upn ?? email)?.Split('@')[0];
        var sub = token.Claim("sub");

        var attributes = new JsonObject();
        void Put(string attribute, string flag, JsonNode? value)
        {
            if (value is not null && o.ExtEnabled(flag) && !o.NonPersistentAttributes.Contains(attribute))
            {
                attributes[attribute] = value;
            }
        }

        Put("upn", "ext_upn", upn);
        Put("tenantid", "ext_tenantid", token.TenantId.ToString());
        Put("oid", "ext_oid", token.ObjectId);
        Put("azure_id", "ext_azure_id", sub);
        var roles = token.Roles();
        if (roles.Count > 0)
        {
            Put("roles", "ext_roles", new JsonArray([.. roles.Select(r => (JsonNode?)r)]));
        }

        if (me is { } meValue)
        {
            foreach (var (attribute, flag, ms, aadName) in ExtendedAttributes)
            {
                var property = aad ? aadName : ms;
                if (property is not null && meValue.TryGetProperty(property, out var v) && v.ValueKind != JsonValueKind.Null)
                {
                    Put(attribute, flag, JsonNode.Parse(v.GetRawText()));
                }
            }
        }

        if (graph.Groups is { } groups)
        {
            Put("groups", "ext_groups", new JsonArray([.. groups.Groups.Select(g => (JsonNode?)(g.DisplayName ?? g.Id))]));
            Put("group_ids", "ext_group_ids", new JsonArray([.. groups.Groups.Select(g => (JsonNode?)g.Id)]));
            if (groups.Truncated)
            {
                Put("groups_truncated", "ext_groups", true);
            }
        }

        Put("profile_unavailable_reason", "ext_profile", graph.ProfileUnavailableReason);
        Put("groups_unavailable_reason", "ext_groups", graph.GroupsUnavailableReason);
        Put("groups_note", "ext_groups", graph.GroupsNote);

        return new UpstreamIdentity(
            Provider: WaadConnectionStrategy.StrategyName,
            UserId: o.UserIdAttribute == WaadUserIdAttribute.Oid ? token.ObjectId : sub!,
            ExternalKey: $"{token.TenantId}/{token.ObjectId}",
            Email: email,
            EmailVerified: azureEmail is not null && o.AlwaysTrustEmailVerified,
            Name: name,
            GivenName: givenName,
            FamilyName: familyName,
            Nickname: nickname,
            Attributes: JsonSerializer.SerializeToElement(attributes),
            Tokens: new UpstreamTokens(
                o.ExtEnabled("ext_access_token") ? tokens.AccessToken : null,
                o.ExtEnabled("ext_refresh_token") ? graph.RefreshToken ?? tokens.RefreshToken : null),
            RootAttributes: o.SetUserRootAttributes)
        {
            Account = new UpstreamAccount(token.TenantId.ToString("D"), token.ObjectId),
        };
    }

    private static string? MeString(JsonElement? me, string name) =>
        me is { } m && m.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
