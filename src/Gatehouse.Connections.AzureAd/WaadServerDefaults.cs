using System.Security.Cryptography.X509Certificates;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Server-wide settings for every <c>waad</c> connection. A connection's own <c>gatehouse_*</c> options win over
/// these; these win over the public Microsoft cloud. They let a deployment (or the demo) point the documented
/// connection payload at another Azure AD, such as the local emulator, without editing connections.
/// </summary>
public sealed record WaadServerDefaults
{
    /// <summary>Azure AD login host; endpoints are <c>{AuthorityUrl}{tenant}/oauth2/...</c>. Ends with '/'.</summary>
    public Uri AuthorityUrl { get; init; } = new("https://login.microsoftonline.com/");

    /// <summary>Microsoft Graph base; calls go to <c>{GraphUrl}v1.0/me...</c>. Ends with '/'.</summary>
    public Uri GraphUrl { get; init; } = new("https://graph.microsoft.com/");

    /// <summary>Azure AD Graph (retired by Microsoft in 2025) base; calls go to <c>{AadGraphUrl}me?api-version=1.6</c>.</summary>
    public Uri AadGraphUrl { get; init; } = new("https://graph.windows.net/");

    /// <summary>
    /// Hosts a connection's <c>gatehouse_*_url</c> options may name besides Microsoft's clouds and the three URLs above:
    /// "host" (the scheme's default port) or "host:port" (<see cref="WaadHostPolicy"/>).
    /// </summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Development only: plain http to a loopback host (still one the server allows). Off by default.</summary>
    public bool AllowHttpLoopback { get; init; }

    /// <summary>Time-out of one token-endpoint or discovery request.</summary>
    public TimeSpan TokenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Time budget for all Graph work (profile and every group page) of one login.</summary>
    public TimeSpan GraphTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Infrastructure failures in a row at one authority (login host and tenant) that open its circuit (at least 2).</summary>
    public int CircuitFailureThreshold { get; init; } = 5;

    /// <summary>How long an open circuit fails fast before one trial request is let through.</summary>
    public TimeSpan CircuitOpenDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Logins of all waad connections in progress at once (upstream call through provisioning); the rest wait their
    /// turn before calling Azure AD. Under overload the queue is at the door, where no upstream time-out runs, instead
    /// of thousands of upstream calls timing out while their answers wait for CPU (and then opening the circuit).
    /// The slots bound throughput at slots ÷ upstream latency (1,280/s at 200 ms); 1,024 measured worse on two cores
    /// (more upstream connections in flight: more CPU per login and 644 MiB peak, docs/benchmarks.md).
    /// </summary>
    public int MaxConcurrentLogins { get; init; } = 256;

    /// <summary>How long discovery documents and signing keys are cached (an unknown kid refreshes keys sooner).</summary>
    public TimeSpan MetadataLifetime { get; init; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Extra trust anchors for upstream TLS, in addition to the system store (e.g. the emulator's certificate).
    /// Certificate validation is never switched off: a server must chain to the system store or to one of these.
    /// </summary>
    public IReadOnlyList<X509Certificate2> ExtraTrustedCertificates { get; init; } = [];
}
