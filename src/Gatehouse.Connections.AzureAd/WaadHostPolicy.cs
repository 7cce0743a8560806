namespace Gatehouse.Connections.AzureAd;

/// <summary>The kinds of upstream host a <c>waad</c> connection sends credentials or tokens to.</summary>
public enum WaadHostKind
{
    /// <summary>Azure AD login (discovery, keys, token endpoint): receives the user's password and the client secret.</summary>
    Authority,

    /// <summary>Microsoft Graph: receives the user's access token.</summary>
    Graph,

    /// <summary>Azure AD Graph (retired): receives the user's access token.</summary>
    AadGraph,
}

/// <summary>
/// Which hosts a <c>waad</c> connection may talk to. A connection's host options are caller-writable, and the host
/// receives the user's password, the connection's client secret and access tokens, so only hosts the server trusts
/// are accepted: Microsoft's public and national clouds (each kind its own list), the hosts of the server's own
/// <c>AzureAd</c> URLs, and the operator's <see cref="WaadServerDefaults.AllowedHosts"/>. Always https, except plain
/// http to a loopback host the operator allowed, and only with <see cref="WaadServerDefaults.AllowHttpLoopback"/>.
/// </summary>
public static class WaadHostPolicy
{
    /// <summary>Microsoft Entra ID login hosts: global, US Government, China (21Vianet, both names).</summary>
    public static readonly IReadOnlyList<string> MicrosoftAuthorityHosts =
        ["login.microsoftonline.com", "login.microsoftonline.us", "login.partner.microsoftonline.cn", "login.chinacloudapi.cn"];

    /// <summary>Microsoft Graph roots: global, US Government L4 and L5 (DoD), China (21Vianet).</summary>
    public static readonly IReadOnlyList<string> MicrosoftGraphHosts =
        ["graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn"];

    /// <summary>Azure AD Graph roots: global, US Government, China (21Vianet).</summary>
    public static readonly IReadOnlyList<string> MicrosoftAadGraphHosts =
        ["graph.windows.net", "graph.microsoftazure.us", "graph.chinacloudapi.cn"];

    /// <summary>Null when <paramref name="url"/> may receive this kind of traffic, else the problem (for "options.x ...").</summary>
    public static string? Problem(Uri url, WaadHostKind kind, WaadServerDefaults defaults)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(defaults);
        if (url.Scheme == Uri.UriSchemeHttp && !(defaults.AllowHttpLoopback && url.IsLoopback))
        {
            return "must be an https URL (plain http only to a loopback host, with the server setting AzureAd:AllowHttpLoopback)";
        }

        if (IsAllowed(url, kind, defaults))
        {
            return null;
        }

        return $"must be on a host the server allows: {string.Join(", ", BuiltIn(kind))}, or one listed in the server setting AzureAd:AllowedHosts";
    }

    private static bool IsAllowed(Uri url, WaadHostKind kind, WaadServerDefaults defaults)
    {
        if (url.Scheme == Uri.UriSchemeHttps && url.IsDefaultPort && BuiltIn(kind).Contains(url.IdnHost, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        // The server's own URLs are operator configuration (the emulator in the demo and the tests): allowed as configured.
        Uri[] configured = [defaults.AuthorityUrl, defaults.GraphUrl, defaults.AadGraphUrl];
        return configured.Any(c => SameHostAndPort(c, url)) || defaults.AllowedHosts.Any(entry => Matches(entry, url));
    }

    private static IReadOnlyList<string> BuiltIn(WaadHostKind kind) => kind switch
    {
        WaadHostKind.Authority => MicrosoftAuthorityHosts,
        WaadHostKind.Graph => MicrosoftGraphHosts,
        _ => MicrosoftAadGraphHosts,
    };

    private static bool SameHostAndPort(Uri a, Uri b) =>
        a.Scheme == b.Scheme && a.Port == b.Port && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase);

    /// <summary>An entry is "host" (the scheme's default port) or "host:port"; <see cref="ParseEntry"/> checked it at start-up.</summary>
    private static bool Matches(string entry, Uri url) =>
        ParseEntry(entry) is var (host, port)
        && string.Equals(host, url.IdnHost, StringComparison.OrdinalIgnoreCase)
        && (port is null ? url.IsDefaultPort : port == url.Port);

    /// <summary>"host" or "host:port" (IPv6 in brackets), without scheme or path; null when malformed.</summary>
    public static (string Host, int? Port)? ParseEntry(string entry)
    {
        if (string.IsNullOrWhiteSpace(entry) || entry.Contains('/', StringComparison.Ordinal) || entry.Contains('@', StringComparison.Ordinal)
            || !Uri.TryCreate("https://" + entry.Trim(), UriKind.Absolute, out var uri) || uri.PathAndQuery != "/")
        {
            return null;
        }

        var explicitPort = entry.Trim().EndsWith(":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return (uri.IdnHost, explicitPort ? uri.Port : null);
    }
}
