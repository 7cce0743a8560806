using System.Text.Json;

namespace Gatehouse.Core.Admin;

/// <summary>The JSON Schema type names Auth0's payload validation messages use ("Expected type X but found type Y").</summary>
public static class JsonSchemaTypes
{
    public static string NameOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "string",
        JsonValueKind.Number => value.TryGetInt64(out _) ? "integer" : "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array",
        JsonValueKind.Object => "object",
        _ => "null",
    };
}
