using System.Text.Json;

namespace Gatehouse.Server.Sessions;

/// <summary>Auth0's <c>allowed_logout_urls</c> (on a client, or on the tenant) and the match a <c>returnTo</c> must pass.</summary>
internal static class LogoutUrls
{
    /// <summary>The list from a client's or the tenant's Extra settings (Auth0's shape: an array of strings).</summary>
    public static IReadOnlyList<string> From(JsonElement? extra) =>
        extra is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty("allowed_logout_urls", out var urls) && urls.ValueKind == JsonValueKind.Array
            ? [.. urls.EnumerateArray().Where(u => u.ValueKind == JsonValueKind.String).Select(u => u.GetString()!)]
            : [];

    /// <summary>
    /// Exact, ordinal equality with one allowed entry, as for callbacks (no prefix, no wildcard, no case folding), and an
    /// absolute URL: anything else would let a logout link send the browser somewhere the tenant did not list.
    /// </summary>
    public static bool Allows(IReadOnlyList<string> allowed, string returnTo) =>
        Uri.TryCreate(returnTo, UriKind.Absolute, out _) && allowed.Contains(returnTo, StringComparer.Ordinal);
}
