using System.Text.Json;

namespace Gatehouse.Storage.Redis;

/// <summary>How values are written to Redis: plain System.Text.Json of Core's records, and lifetimes from their own expiry.</summary>
internal static class RedisJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    /// <summary>Milliseconds until <paramref name="expiresAt"/>, or null when it has passed (nothing to keep).</summary>
    public static long? Lifetime(DateTimeOffset expiresAt, TimeProvider time)
    {
        var milliseconds = (long)Math.Ceiling((expiresAt - time.GetUtcNow()).TotalMilliseconds);
        return milliseconds > 0 ? milliseconds : null;
    }
}
