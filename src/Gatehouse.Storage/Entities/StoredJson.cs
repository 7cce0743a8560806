using System.Text.Json;

namespace Gatehouse.Storage.Entities;

/// <summary>How lists and JSON values are kept in text columns (kept as text, not jsonb, so they round-trip byte for byte).</summary>
internal static class StoredJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string? Write(JsonElement? value) =>
        value is { ValueKind: not JsonValueKind.Undefined } element ? element.GetRawText() : null;

    public static string WriteRequired(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Undefined
            ? throw new ArgumentException($"{field} must be a JSON value.", field)
            : value.GetRawText();

    public static JsonElement? Read(string? text) =>
        text is null ? null : JsonSerializer.Deserialize<JsonElement>(text, Options);

    public static JsonElement ReadRequired(string text) => JsonSerializer.Deserialize<JsonElement>(text, Options);

    public static string WriteList<T>(IReadOnlyList<T>? items) => JsonSerializer.Serialize(items ?? [], Options);

    public static IReadOnlyList<T> ReadList<T>(string text) => JsonSerializer.Deserialize<List<T>>(text, Options) ?? [];
}
