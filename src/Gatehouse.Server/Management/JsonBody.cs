using System.Net.Http.Headers;
using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Security;

namespace Gatehouse.Server.Management;

/// <summary>
/// A Management API request body, validated the way Auth0 reports it: "Payload validation error: '…' on property x."
/// Bodies are JSON objects of at most 1 MB and 32 levels; unknown properties are refused by name; a property name used
/// twice, a lone surrogate or a NUL anywhere is refused (<see cref="StrictJson"/>).
/// </summary>
internal sealed class JsonBody
{
    public const int MaxBytes = 1024 * 1024;

    /// <summary>Nesting deeper than this is refused while parsing (the deepest real body, connection options, is about 5).</summary>
    public const int MaxDepth = 32;

    private JsonBody(JsonElement root) => Root = root;

    public JsonElement Root { get; }

    public static async Task<JsonBody> ReadAsync(HttpRequest request)
    {
        var root = await ReadJsonAsync(request);
        if (root.ValueKind != JsonValueKind.Object)
            throw ManagementException.BadBody($"Payload validation error: 'Expected type object but found type {JsonSchemaTypes.NameOf(root)}'.");
        return new JsonBody(root);
    }

    /// <summary>Any JSON value (some bodies are arrays), at most 1 MB, sent as application/json.</summary>
    public static async Task<JsonElement> ReadJsonAsync(HttpRequest request)
    {
        if (request.ContentLength > MaxBytes)
            throw new ManagementException(413, "Payload content length greater than maximum allowed: 1048576", "payload_too_large");
        var mediaType = MediaTypeHeaderValue.TryParse(request.ContentType, out var parsed) ? parsed.MediaType : null;
        if (mediaType != "application/json")
            throw ManagementException.BadBody("Content-Type must be application/json.");
        using var buffer = new MemoryStream();
        var chunk = new byte[16384];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBytes)
                throw new ManagementException(413, "Payload content length greater than maximum allowed: 1048576", "payload_too_large");
            buffer.Write(chunk, 0, read);
        }
        return Parse(buffer.ToArray());
    }

    /// <summary>
    /// Bytes already read (at most <see cref="MaxBytes"/>) as a JSON value, or a 400 <see cref="ManagementException"/>
    /// naming the problem. Throws nothing else: the property tests and fuzz targets feed it arbitrary bytes.
    /// </summary>
    public static JsonElement Parse(byte[] bytes)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(bytes, new JsonDocumentOptions { MaxDepth = MaxDepth });
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw ManagementException.BadBody("Invalid request payload JSON format");
        }
        if (StrictJson.Find(root) is { } problem)
            throw ManagementException.BadBody(problem.Duplicate
                ? $"Payload validation error: 'Duplicate property name' on property {problem.Path}."
                : $"Payload validation error: 'The value {problem.Problem}' on property {problem.Path}.");
        return root;
    }

    public JsonBody AllowOnly(IEnumerable<string> names)
    {
        var allowed = names.ToHashSet(StringComparer.Ordinal);
        var extra = Root.EnumerateObject().Select(p => p.Name).Where(n => !allowed.Contains(n)).ToList();
        if (extra.Count > 0)
            throw ManagementException.BadBody($"Payload validation error: 'Additional properties not allowed: {string.Join(',', extra)}'.");
        return this;
    }

    public bool Has(string name) => Root.TryGetProperty(name, out _);

    public JsonElement? Raw(string name) => Root.TryGetProperty(name, out var value) ? value : null;

    public string? String(string name, bool required = false, int minLength = 0, int maxLength = int.MaxValue)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? throw Missing(name) : null;
        if (value.ValueKind != JsonValueKind.String)
            throw WrongType(name, "string", value);
        var text = value.GetString()!;
        if (text.Length < minLength)
            throw ManagementException.BadBody($"Payload validation error: 'String is too short ({text.Length} chars), minimum {minLength}' on property {name}.");
        if (text.Length > maxLength)
            throw ManagementException.BadBody($"Payload validation error: 'String is too long ({text.Length} chars), maximum {maxLength}' on property {name}.");
        return text;
    }

    public bool? Bool(string name)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(name, "boolean", value),
        };
    }

    public int? Int(string name, int min = int.MinValue, int max = int.MaxValue)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number))
            throw WrongType(name, "integer", value);
        if (number < min || number > max)
            throw ManagementException.BadBody($"Payload validation error: 'Value {number} is outside {min}..{max}' on property {name}.");
        return number;
    }

    public IReadOnlyList<string>? StringArray(string name, int maxItems = 1000, int maxLength = 2048)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        if (value.ValueKind != JsonValueKind.Array)
            throw WrongType(name, "array", value);
        var items = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
                throw WrongType($"{name}[{items.Count}]", "string", item);
            var text = item.GetString()!;
            if (text.Length > maxLength)
                throw ManagementException.BadBody($"Payload validation error: 'String is too long' on property {name}[{items.Count}].");
            items.Add(text);
        }
        if (items.Count > maxItems)
            throw ManagementException.BadBody($"Payload validation error: 'Array is too long ({items.Count}), maximum {maxItems}' on property {name}.");
        return items;
    }

    public JsonElement? Object(string name)
    {
        if (!Root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return null;
        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(name, "object", value);
    }

    public static ManagementException Missing(string name) =>
        ManagementException.BadBody($"Payload validation error: 'Missing required property: {name}'.");

    public static ManagementException WrongType(string name, string expected, JsonElement value) =>
        ManagementException.BadBody($"Payload validation error: 'Expected type {expected} but found type {JsonSchemaTypes.NameOf(value)}' on property {name}.");
}
