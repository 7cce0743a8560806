namespace Gatehouse.AzureAd.Emulator.Model;

/// <summary>
/// Entra's reply-URL rules (interactive-flows.md §5.1): https except on loopback, exact match with a
/// case-sensitive path, and the port ignored for loopback hosts (localhost, 127.0.0.1).
/// </summary>
internal static class RedirectUriRule
{
    private const int MaxLength = 256;

    /// <summary>Why a registered reply URL is invalid, or null when it is fine.</summary>
    public static string? Problem(string value)
    {
        if (value.Length > MaxLength) return $"is longer than {MaxLength} characters";
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)) return $"'{value}' is not an absolute URI";
        if (uri.Fragment.Length > 0) return $"'{value}' must not have a fragment";
        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri)) return $"'{value}' must use https (http only for localhost)";
        return null;
    }

    /// <summary>The registered reply URL a request's redirect_uri matches, if any.</summary>
    public static bool IsRegistered(IReadOnlyList<string> registered, string requested)
    {
        if (requested.Length > MaxLength || !Uri.TryCreate(requested, UriKind.Absolute, out var asked) || asked.Fragment.Length > 0)
            return false;
        foreach (var candidate in registered)
        {
            if (string.Equals(candidate, requested, StringComparison.Ordinal)) return true;
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var known)) continue;
            if (IsLoopback(asked) && IsLoopback(known) && SameIgnoringPort(known, asked)) return true;
        }
        return false;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || uri.Host == "127.0.0.1";

    private static bool SameIgnoringPort(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.AbsolutePath, b.AbsolutePath, StringComparison.Ordinal)
        && string.Equals(a.Query, b.Query, StringComparison.Ordinal);
}
