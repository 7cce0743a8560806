using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gatehouse.Server.Hosting;

internal static class JsonDefaults
{
    /// <summary>Response bodies: names as declared, nulls omitted.</summary>
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Files people read (bootstrap.json, demo.json).</summary>
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
