namespace Gatehouse.Server.Management;

/// <summary>The Management API's scopes: the system resource server defines them, the bootstrap client is granted all.</summary>
public static class ManagementScopes
{
    public static readonly IReadOnlyList<string> All =
    [
        "read:clients", "create:clients", "update:clients", "delete:clients", "read:client_keys", "update:client_keys",
        "read:resource_servers", "create:resource_servers", "update:resource_servers", "delete:resource_servers",
        "read:client_grants", "create:client_grants", "update:client_grants", "delete:client_grants",
        "read:connections", "create:connections", "update:connections", "delete:connections",
        "read:connections_options", "update:connections_options",
        "read:users", "create:users", "update:users", "delete:users", "read:user_idp_tokens", "update:users_app_metadata",
        "update:current_user_identities",
        "read:roles", "create:roles", "update:roles", "delete:roles", "read:role_members", "create:role_members", "delete:role_members",
        "read:logs", "read:logs_users",
        "read:tenant_settings", "update:tenant_settings",
        "read:signing_keys", "create:signing_keys", "update:signing_keys",
        "read:attack_protection", "update:attack_protection", "read:anomaly_blocks", "delete:anomaly_blocks",
        "read:sessions", "delete:sessions", "delete:refresh_tokens", "read:branding", "update:branding",
    ];
}
