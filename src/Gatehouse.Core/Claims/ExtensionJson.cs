using System.Text.Json;
using System.Text.RegularExpressions;

namespace Gatehouse.Core.Claims;

/// <summary>
/// Reads the members of a Gatehouse extension object (<c>gatehouse_claims</c>, <c>gatehouse_access_rules</c>, a role
/// mapping rule), collecting every problem with its path instead of stopping at the first: unknown members are refused
/// (as Auth0 refuses unknown properties), values of the wrong type or size are named.
/// </summary>
internal sealed partial class ExtensionJson(string path, JsonElement value, List<SettingProblem> problems)
{
    public const int MaxItemLength = 256;

    public string Path => path;

    /// <summary>Whether the value is an object whose members are all in <paramref name="known"/>; problems say what is not.</summary>
    public bool IsObjectOf(params string[] known)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            Fail(path, "must be an object");
            return false;
        }

        var ok = true;
        foreach (var member in value.EnumerateObject())
        {
            if (!known.Contains(member.Name, StringComparer.Ordinal))
            {
                Fail($"{path}.{member.Name}", "is not a known member (one of: " + string.Join(", ", known) + ")");
                ok = false;
            }
        }

        return ok;
    }

    public bool Has(string name) => value.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Member(string name) => value.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public string? String(string name, int maxLength = MaxItemLength)
    {
        if (Member(name) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.String || v.GetString()!.Length == 0 || v.GetString()!.Length > maxLength)
        {
            Fail($"{path}.{name}", $"must be a string of 1 to {maxLength} characters");
            return null;
        }

        return v.GetString();
    }

    public int? Integer(string name, int min, int max)
    {
        if (Member(name) is not { } v)
            return null;
        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i) || i < min || i > max)
        {
            Fail($"{path}.{name}", $"must be an integer from {min} to {max}");
            return null;
        }

        return i;
    }

    /// <summary>An array of distinct non-empty strings, each checked by <paramref name="item"/> (a problem or null).</summary>
    public IReadOnlyList<string>? Strings(string name, int maxItems, Func<string, string?>? item = null)
    {
        if (Member(name) is not { } v)
            return null;
        var at = $"{path}.{name}";
        if (v.ValueKind != JsonValueKind.Array || v.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            Fail(at, "must be an array of strings");
            return null;
        }

        var items = v.EnumerateArray().Select(e => e.GetString()!).ToList();
        if (items.Count > maxItems)
        {
            Fail(at, $"must have at most {maxItems} items");
            return null;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var problem = items[i].Length is 0 or > MaxItemLength ? $"must be 1 to {MaxItemLength} characters"
                : items.IndexOf(items[i]) != i ? "is listed twice"
                : item?.Invoke(items[i]);
            if (problem is not null)
            {
                Fail($"{at}[{i}]", problem);
                return null;
            }
        }

        return items;
    }

    public ExtensionJson Child(string name, JsonElement child) => new($"{path}.{name}", child, problems);

    public void Fail(string at, string message) => problems.Add(new SettingProblem(at, message));

    /// <summary>Auth0's role ids: "rol_" and 16 alphanumerics.</summary>
    public static string? RoleIdProblem(string id) => RoleId().IsMatch(id) ? null : "must be a role id (rol_ and 16 letters or digits)";

    [GeneratedRegex("^rol_[A-Za-z0-9]{16}$")]
    private static partial Regex RoleId();
}
