using System.Security.Cryptography.X509Certificates;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// The <c>AzureAd</c> configuration section: where every <c>waad</c> connection finds Azure AD (default: Microsoft's
/// public cloud), which extra CA it may trust for it (the emulator's), and which hosts besides Microsoft's clouds a
/// connection's own URL options may name (<see cref="WaadHostPolicy"/>). Certificate validation is never switched off.
/// </summary>
public sealed class AzureAdSettings
{
    public const string Section = "AzureAd";

    public string? AuthorityUrl { get; set; }

    public string? GraphUrl { get; set; }

    public string? AadGraphUrl { get; set; }

    /// <summary>More hosts ("host" or "host:port") a connection's gatehouse_*_url options may name, e.g. a private Azure AD proxy.</summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>Development only: plain http to loopback hosts (the settings above and the connections' URL options).</summary>
    public bool AllowHttpLoopback { get; set; }

    /// <summary>A PEM file of one more trust anchor for upstream TLS, added to the system store.</summary>
    public string? TrustedCaFile { get; set; }

    public int TokenTimeoutSeconds { get; set; } = 10;

    public int GraphTimeoutSeconds { get; set; } = 10;

    public int CircuitFailureThreshold { get; set; } = 5;

    public int CircuitOpenSeconds { get; set; } = 30;

    /// <summary>waad logins in progress at once; more wait before calling Azure AD (see WaadServerDefaults).</summary>
    public int MaxConcurrentLogins { get; set; } = 256;

    public WaadServerDefaults ToDefaults()
    {
        var defaults = new WaadServerDefaults();
        return defaults with
        {
            AuthorityUrl = Url(AuthorityUrl, nameof(AuthorityUrl)) ?? defaults.AuthorityUrl,
            GraphUrl = Url(GraphUrl, nameof(GraphUrl)) ?? defaults.GraphUrl,
            AadGraphUrl = Url(AadGraphUrl, nameof(AadGraphUrl)) ?? defaults.AadGraphUrl,
            TokenTimeout = TimeSpan.FromSeconds(Math.Clamp(TokenTimeoutSeconds, 1, 120)),
            GraphTimeout = TimeSpan.FromSeconds(Math.Clamp(GraphTimeoutSeconds, 1, 120)),
            CircuitFailureThreshold = Math.Max(1, CircuitFailureThreshold),
            CircuitOpenDuration = TimeSpan.FromSeconds(Math.Max(1, CircuitOpenSeconds)),
            MaxConcurrentLogins = Math.Max(1, MaxConcurrentLogins),
            AllowedHosts = [.. AllowedHosts.Select(CheckedHost)],
            AllowHttpLoopback = AllowHttpLoopback,
            ExtraTrustedCertificates = string.IsNullOrEmpty(TrustedCaFile) ? [] : [X509Certificate2.CreateFromPem(File.ReadAllText(TrustedCaFile))],
        };
    }

    /// <summary>Absolute https (or, with AllowHttpLoopback, loopback http) URL ending in '/', so relative paths append rather than replace.</summary>
    private Uri? Url(string? value, string name)
    {
        if (string.IsNullOrEmpty(value))
            return null;
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback && AllowHttpLoopback)))
            throw new InvalidOperationException($"AzureAd:{name} must be an absolute https URL (http only on loopback, with AzureAd:AllowHttpLoopback): '{value}'.");
        return value.EndsWith('/') ? uri : new Uri(value + "/");
    }

    private static string CheckedHost(string entry) =>
        WaadHostPolicy.ParseEntry(entry) is not null
            ? entry.Trim()
            : throw new InvalidOperationException($"AzureAd:AllowedHosts entries are \"host\" or \"host:port\" (no scheme or path): '{entry}'.");
}
