using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Authorization;

/// <summary>A client's <c>callbacks</c> (kept in <see cref="Client.Extra"/> in Auth0's shape) and the exact-match rule.</summary>
internal static class ClientCallbacks
{
    /// <summary>
    /// Exact, ordinal comparison with one registered callback (RFC 9700 §4.1.3): no prefix, no case folding, no port or
    /// path leeway, no wildcards. A URI with a fragment is never a redirect URI (RFC 6749 §3.1.2).
    /// </summary>
    public static bool Allows(Client client, string redirectUri)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (redirectUri.Contains('#', StringComparison.Ordinal) || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _))
            return false;
        return List(client).Contains(redirectUri, StringComparer.Ordinal);
    }

    public static IReadOnlyList<string> List(Client client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client.Extra is not { ValueKind: JsonValueKind.Object } extra
            || !extra.TryGetProperty("callbacks", out var callbacks) || callbacks.ValueKind != JsonValueKind.Array)
            return [];
        return [.. callbacks.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.String).Select(c => c.GetString()!)];
    }
}
