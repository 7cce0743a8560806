using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gatehouse.Connections.Database;

/// <summary>
/// The JSON options of an <c>auth0</c> (database) connection as sent and stored: Auth0's database connection options
/// (its Management API reference, <c>ConnectionOptionsAuth0</c>), each named once here. A member not declared here is
/// refused; absent or null members keep the defaults below. Most are kept for round trips and do nothing here
/// (custom scripts, MFA, passkeys...): Gatehouse acts on the ones <see cref="DatabaseConnectionOptions"/> carries.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DatabaseOptionsDocument
{
    [JsonPropertyName("requires_username")] public bool RequiresUsername { get; init; }
    // Auth0 creates connections with it on; off only when the options say false.
    [JsonPropertyName("brute_force_protection")] public bool BruteForceProtection { get; init; } = true;
    [JsonPropertyName("passwordPolicy")] public string? PasswordPolicy { get; init; }
    [JsonPropertyName("password_complexity_options")] public JsonObject? PasswordComplexityOptions { get; init; }
    [JsonPropertyName("password_history")] public JsonObject? PasswordHistory { get; init; }
    [JsonPropertyName("password_no_personal_info")] public JsonObject? PasswordNoPersonalInfo { get; init; }
    [JsonPropertyName("password_dictionary")] public JsonObject? PasswordDictionary { get; init; }
    [JsonPropertyName("password_options")] public JsonObject? PasswordOptions { get; init; }
    [JsonPropertyName("disable_signup")] public bool DisableSignup { get; init; }
    [JsonPropertyName("disable_self_service_change_password")] public bool DisableSelfServiceChangePassword { get; init; }
    [JsonPropertyName("validation")] public JsonObject? Validation { get; init; }
    [JsonPropertyName("import_mode")] public bool ImportMode { get; init; }
    [JsonPropertyName("enabledDatabaseCustomization")] public bool EnabledDatabaseCustomization { get; init; }
    [JsonPropertyName("customScripts")] public JsonObject? CustomScripts { get; init; }
    [JsonPropertyName("configuration")] public JsonObject? Configuration { get; init; }
    [JsonPropertyName("non_persistent_attrs")] public IReadOnlyList<string>? NonPersistentAttrs { get; init; }
    [JsonPropertyName("mfa")] public JsonObject? Mfa { get; init; }
    [JsonPropertyName("attributes")] public JsonObject? Attributes { get; init; }
    [JsonPropertyName("precedence")] public IReadOnlyList<string>? Precedence { get; init; }
    [JsonPropertyName("authentication_methods")] public JsonObject? AuthenticationMethods { get; init; }
    [JsonPropertyName("passkey_options")] public JsonObject? PasskeyOptions { get; init; }
    [JsonPropertyName("set_user_root_attributes")] public string? SetUserRootAttributes { get; init; }
    [JsonPropertyName("strategy_version")] public int? StrategyVersion { get; init; }
    [JsonPropertyName("enable_script_context")] public bool EnableScriptContext { get; init; }
    [JsonPropertyName("upstream_params")] public JsonElement? UpstreamParams { get; init; }
    [JsonPropertyName("realm_fallback")] public bool RealmFallback { get; init; }
}
