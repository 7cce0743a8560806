using System.Text.Json;
using Gatehouse.Core.Protection;

namespace Gatehouse.Core.Admin;

/// <summary>
/// One object of an attack-protection PATCH body, read at a path ("stage.pre-login") so each 400 names the property
/// the way Auth0 does: "Payload validation error: '…' on property stage.pre-login.rate."
/// </summary>
internal sealed class SettingsPatch
{
    private readonly JsonElement _root;
    private readonly string _path;

    private SettingsPatch(JsonElement root, string path)
    {
        _root = root;
        _path = path;
    }

    public static SettingsPatch Of(JsonElement body) => new(body, "");

    public SettingsPatch AllowOnly(params string[] names)
    {
        var extra = _root.EnumerateObject().Select(p => p.Name).Where(n => !names.Contains(n, StringComparer.Ordinal)).ToList();
        if (extra.Count > 0)
            throw Bad($"Additional properties not allowed: {string.Join(',', extra)}", _path.Length > 0 ? _path : null);
        return this;
    }

    public bool? Bool(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        var other => throw WrongType(Path(name), "boolean", other.Value),
    };

    public long? Integer(string name, long min, long max)
    {
        if (Value(name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number))
            throw WrongType(Path(name), "integer", value);
        if (number < min || number > max)
            throw Bad(number < min ? $"Value {number} is less than minimum {min}" : $"Value {number} is greater than maximum {max}", Path(name));
        return number;
    }

    public string? Enum(string name, IReadOnlyCollection<string> allowed)
    {
        if (Value(name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.String)
            throw WrongType(Path(name), "string", value);
        var text = value.GetString()!;
        return allowed.Contains(text) ? text : throw Bad($"No enum match for: \"{text}\"", Path(name));
    }

    /// <summary>An array of distinct enum values.</summary>
    public IReadOnlyList<string>? Enums(string name, IReadOnlyCollection<string> allowed)
    {
        var items = Strings(name, allowed.Count);
        for (var i = 0; i < items?.Count; i++)
        {
            if (!allowed.Contains(items[i]))
                throw Bad($"No enum match for: \"{items[i]}\"", $"{Path(name)}[{i}]");
        }
        return items?.Distinct(StringComparer.Ordinal).ToList();
    }

    /// <summary>IPv4/IPv6 addresses and CIDR ranges, at most 100 (Auth0's allowlist limit).</summary>
    public IReadOnlyList<string>? Allowlist(string name)
    {
        var items = Strings(name, 100);
        for (var i = 0; i < items?.Count; i++)
        {
            if (!IpRanges.TryParse(items[i], out _))
                throw Bad($"Object didn't pass validation for format ipv4, cidr, ipv6 or ipv6_cidr: {items[i]}", $"{Path(name)}[{i}]");
        }
        return items?.Distinct(StringComparer.Ordinal).ToList();
    }

    public SettingsPatch? Object(string name) => Value(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Object } value => new SettingsPatch(value, Path(name)),
        var other => throw WrongType(Path(name), "object", other.Value),
    };

    private List<string>? Strings(string name, int maxItems)
    {
        if (Value(name) is not { } value)
            return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw WrongType(Path(name), "array", value);
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw WrongType($"{Path(name)}[{items.Count}]", "string", item);
            items.Add(item.GetString()!);
        }
        return items.Count <= maxItems ? items : throw Bad($"Array is too long ({items.Count}), maximum {maxItems}", Path(name));
    }

    /// <summary>The member when present; an explicit null is a wrong type, not an absent member.</summary>
    private JsonElement? Value(string name) => _root.TryGetProperty(name, out var value) ? value : null;

    private string Path(string name) => _path.Length == 0 ? name : $"{_path}.{name}";

    private static AdminException WrongType(string path, string expected, JsonElement value) =>
        Bad($"Expected type {expected} but found type {JsonSchemaTypes.NameOf(value)}", path);

    private static AdminException Bad(string problem, string? path) =>
        AdminException.Invalid(path ?? "", path is null ? $"Payload validation error: '{problem}'." : $"Payload validation error: '{problem}' on property {path}.");
}
