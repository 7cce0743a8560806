using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Users;

namespace Gatehouse.Server.Shared;

/// <summary>Small conversions between stored JsonElements and response JsonNodes.</summary>
internal static class JsonNodes
{
    public static JsonNode? From(JsonElement? element) =>
        element is { ValueKind: not JsonValueKind.Undefined } e ? JsonNode.Parse(e.GetRawText()) : null;

    public static JsonArray Array(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)JsonValue.Create(v))]);

    public static JsonNode Date(DateTimeOffset value) => JsonValue.Create(ProfileClaims.FormatDate(value));

    public static JsonNode? Date(DateTimeOffset? value) => value is { } v ? Date(v) : null;

    /// <summary>Top-level members of <paramref name="extra"/> copied onto <paramref name="target"/> (they win over defaults).</summary>
    public static JsonObject Merge(JsonObject target, JsonElement? extra)
    {
        if (extra is { ValueKind: JsonValueKind.Object } e)
        {
            foreach (var property in e.EnumerateObject())
                target[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
        return target;
    }

    /// <summary>The stored object with the named body members set (a PATCH of an Extra bag).</summary>
    public static JsonElement? With(JsonElement? stored, JsonElement body, IEnumerable<string> names)
    {
        var result = stored is { ValueKind: JsonValueKind.Object } s ? (JsonObject)JsonNode.Parse(s.GetRawText())! : [];
        var changed = false;
        foreach (var name in names)
        {
            if (body.TryGetProperty(name, out var value))
            {
                result[name] = JsonNode.Parse(value.GetRawText());
                changed = true;
            }
        }
        return changed || stored is not null ? JsonSerializer.SerializeToElement(result) : null;
    }

    /// <summary>The stored object with one string member set.</summary>
    public static JsonElement With(JsonElement? stored, string name, string value)
    {
        var result = stored is { ValueKind: JsonValueKind.Object } s ? (JsonObject)JsonNode.Parse(s.GetRawText())! : [];
        result[name] = value;
        return JsonSerializer.SerializeToElement(result);
    }

    /// <summary>Merges top-level members (user_metadata/app_metadata PATCH semantics: null removes a member).</summary>
    public static JsonElement MergeObjects(JsonElement? stored, JsonElement patch)
    {
        var result = stored is { ValueKind: JsonValueKind.Object } s ? (JsonObject)JsonNode.Parse(s.GetRawText())! : [];
        foreach (var property in patch.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null)
                result.Remove(property.Name);
            else
                result[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }
        return JsonSerializer.SerializeToElement(result);
    }
}
