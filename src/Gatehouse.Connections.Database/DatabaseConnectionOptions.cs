using System.Text.Json;

namespace Gatehouse.Connections.Database;

/// <summary>The options of an <c>auth0</c> (database) connection that Gatehouse acts on, with Auth0's defaults.</summary>
public sealed record DatabaseConnectionOptions(
    bool RequiresUsername,
    bool BruteForceProtection,
    string PasswordPolicy,
    int? MinLength,
    bool DisableSignup,
    int UsernameMin,
    int UsernameMax)
{
    public static readonly IReadOnlyList<string> Policies = ["none", "low", "fair", "good", "excellent"];

    private enum Kind { Bool, String, Int, Object, Array, Any }

    // Auth0's database connection options (MOAS ConnectionOptionsAuth0). Unknown names are refused.
    private static readonly Dictionary<string, Kind> Known = new(StringComparer.Ordinal)
    {
        ["requires_username"] = Kind.Bool,
        ["brute_force_protection"] = Kind.Bool,
        ["passwordPolicy"] = Kind.String,
        ["password_complexity_options"] = Kind.Object,
        ["password_history"] = Kind.Object,
        ["password_no_personal_info"] = Kind.Object,
        ["password_dictionary"] = Kind.Object,
        ["disable_signup"] = Kind.Bool,
        ["disable_self_service_change_password"] = Kind.Bool,
        ["validation"] = Kind.Object,
        ["import_mode"] = Kind.Bool,
        ["enabledDatabaseCustomization"] = Kind.Bool,
        ["customScripts"] = Kind.Object,
        ["configuration"] = Kind.Object,
        ["non_persistent_attrs"] = Kind.Array,
        ["mfa"] = Kind.Object,
        ["attributes"] = Kind.Object,
        ["precedence"] = Kind.Array,
        ["authentication_methods"] = Kind.Object,
        ["passkey_options"] = Kind.Object,
        ["set_user_root_attributes"] = Kind.String,
        ["strategy_version"] = Kind.Int,
        ["enable_script_context"] = Kind.Bool,
        ["upstream_params"] = Kind.Any,
        ["realm_fallback"] = Kind.Bool,
        ["password_options"] = Kind.Object,
    };

    public static IReadOnlyList<OptionProblem> Validate(JsonElement options)
    {
        if (options.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return [];
        if (options.ValueKind != JsonValueKind.Object)
            return [new OptionProblem(null, "options must be an object")];
        var problems = new List<OptionProblem>();
        var unknown = new List<string>();
        foreach (var property in options.EnumerateObject())
        {
            if (!Known.TryGetValue(property.Name, out var kind))
            {
                unknown.Add(property.Name);
                continue;
            }
            var value = property.Value;
            var ok = kind switch
            {
                Kind.Bool => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
                Kind.String => value.ValueKind is JsonValueKind.String || (property.Name == "passwordPolicy" && value.ValueKind == JsonValueKind.Null),
                Kind.Int => value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out _),
                Kind.Object => value.ValueKind is JsonValueKind.Object or JsonValueKind.Null,
                Kind.Array => value.ValueKind == JsonValueKind.Array,
                _ => true,
            };
            if (!ok)
                problems.Add(new(property.Name, $"must be {Describe(kind)}"));
        }
        if (unknown.Count > 0)
            problems.Add(new(null, $"unknown option(s) for strategy auth0: {string.Join(", ", unknown)}"));
        if (problems.Count == 0)
            problems.AddRange(ValidateValues(options));
        return problems;
    }

    private static IEnumerable<OptionProblem> ValidateValues(JsonElement options)
    {
        if (options.TryGetProperty("passwordPolicy", out var policy) && policy.ValueKind == JsonValueKind.String && !Policies.Contains(policy.GetString()))
            yield return new("passwordPolicy", $"must be one of: {string.Join(", ", Policies)}");
        if (options.TryGetProperty("password_complexity_options", out var complexity) && complexity.ValueKind == JsonValueKind.Object
            && complexity.TryGetProperty("min_length", out var min) && (!min.TryGetInt32(out var minLength) || minLength is < 1 or > 128))
            yield return new("password_complexity_options.min_length", "must be an integer from 1 to 128");
        if (UsernameBounds(options) is var (lo, hi) && (lo < 1 || hi > 128 || lo > hi))
            yield return new("validation.username", "must have 1 <= min <= max <= 128");
    }

    public static DatabaseConnectionOptions Parse(JsonElement options)
    {
        bool Flag(string name) => options.ValueKind == JsonValueKind.Object && options.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;
        var policy = options.ValueKind == JsonValueKind.Object && options.TryGetProperty("passwordPolicy", out var p) && p.ValueKind == JsonValueKind.String
            ? p.GetString()!
            : "none";
        int? minLength = options.ValueKind == JsonValueKind.Object
            && options.TryGetProperty("password_complexity_options", out var c) && c.ValueKind == JsonValueKind.Object
            && c.TryGetProperty("min_length", out var m) && m.TryGetInt32(out var ml) ? ml : null;
        var (usernameMin, usernameMax) = UsernameBounds(options) ?? (1, 15);
        return new DatabaseConnectionOptions(Flag("requires_username"), Flag("brute_force_protection"), policy, minLength, Flag("disable_signup"), usernameMin, usernameMax);
    }

    private static (int Min, int Max)? UsernameBounds(JsonElement options)
    {
        if (options.ValueKind != JsonValueKind.Object || !options.TryGetProperty("validation", out var validation)
            || validation.ValueKind != JsonValueKind.Object || !validation.TryGetProperty("username", out var username)
            || username.ValueKind != JsonValueKind.Object)
            return null;
        var min = username.TryGetProperty("min", out var lo) && lo.TryGetInt32(out var l) ? l : 1;
        var max = username.TryGetProperty("max", out var hi) && hi.TryGetInt32(out var h) ? h : 15;
        return (min, max);
    }

    private static string Describe(Kind kind) => kind switch
    {
        Kind.Bool => "a boolean",
        Kind.String => "a string",
        Kind.Int => "an integer",
        Kind.Object => "an object",
        _ => "an array",
    };
}
