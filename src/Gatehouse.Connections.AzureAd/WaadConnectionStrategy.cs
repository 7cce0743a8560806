using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Strategy <c>waad</c>: Azure AD (Microsoft Entra ID) through the Resource Owner Password grant. Register one
/// instance as a singleton; it owns the upstream HTTP handler, the toolkit's discovery/key cache and per-authority
/// circuits (docs/architecture.md, "Adding a strategy"), and per-connection state (its authority's circuit, learned
/// client-authentication mode) keyed by (connection id, version).
/// </summary>
public sealed class WaadConnectionStrategy : IConnectionStrategy, IDisposable
{
    public const string StrategyName = "waad";

    private readonly ISecretProtector secrets;
    private readonly WaadServerDefaults defaults;
    private readonly HttpClient http;
    private readonly UpstreamCircuits circuits;
    private readonly WaadServices services;
    private readonly WaadPreflight preflight;
    private readonly ConcurrentDictionary<string, (long Version, WaadConnectionState State)> states = new(StringComparer.Ordinal);

    /// <summary>The production constructor: upstream TLS trusts the system store plus <see cref="WaadServerDefaults.ExtraTrustedCertificates"/>.</summary>
    public WaadConnectionStrategy(ISecretProtector secrets, TimeProvider time, WaadServerDefaults defaults)
        : this(secrets, time, defaults, UpstreamHandler.Create(defaults.ExtraTrustedCertificates))
    {
    }

    /// <summary>With a given handler (tests). The strategy disposes it.</summary>
    public WaadConnectionStrategy(ISecretProtector secrets, TimeProvider time, WaadServerDefaults defaults, HttpMessageHandler handler)
    {
        this.secrets = secrets;
        this.defaults = defaults;
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }; // time-outs are per request
        var upstream = new UpstreamHttpClient(http, time);
        var keysAndDiscovery = new OidcMetadataCache(upstream, defaults.MetadataLifetime, AzureTenantMetadata.ErrorAnswer);
        var metadata = new AzureTenantMetadata(keysAndDiscovery);
        circuits = new UpstreamCircuits(
            new UpstreamCircuitOptions { FailureThreshold = defaults.CircuitFailureThreshold, BreakDuration = defaults.CircuitOpenDuration },
            time);
        services = new WaadServices(
            new AzureTokenClient(upstream),
            metadata,
            new AzureIdTokenChecks(new IdTokenValidator(keysAndDiscovery, time), metadata),
            new GraphClient(upstream, time),
            time,
            new SemaphoreSlim(Math.Max(1, defaults.MaxConcurrentLogins)));
        preflight = new WaadPreflight(upstream, services, defaults, secrets);
    }

    public string Strategy => StrategyName;

    public StrategyDescriptor Descriptor { get; } = new("Azure AD", Federated: true, GroupsOption: "ext_groups", StrategyType: "enterprise", DashboardSection: "enterprise");

    public IReadOnlyCollection<string> SecretOptions { get; } = ["client_secret"];

    public IReadOnlyCollection<string> SecretDestinationOptions => WaadOptionsParser.HostOptions;

    public IReadOnlyList<OptionProblem> Validate(JsonElement options) => WaadOptionsParser.Parse(options, defaults).Problems;

    public IReadOnlyList<string> ValidateOptions(JsonElement options) => WaadOptionsParser.Parse(options, defaults).Errors;

    /// <summary>Never throws for bad stored options: the connection then refuses logins as misconfigured, naming the problems in the audit detail.</summary>
    public IConnection Create(Connection definition)
    {
        var parsed = WaadOptionsParser.Parse(definition.Options, defaults);
        var options = parsed.Options;
        string? secret = null;
        string? secretProblem = null;
        if (options?.ClientSecretProtected is { } protectedSecret)
        {
            try
            {
                secret = secrets.Unprotect(protectedSecret, IConnectionStrategy.SecretPurpose("client_secret"));
            }
            catch (CryptographicException)
            {
                secretProblem = "client_secret could not be decrypted; logins go without it";
            }
        }

        var state = states.AddOrUpdate(
            definition.Id,
            _ => (definition.Version, NewState(options)),
            (_, existing) => existing.Version == definition.Version ? existing : (definition.Version, NewState(options))).State;
        return new WaadConnection(definition, options, string.Join("; ", parsed.Errors), secret, secretProblem, state, services, preflight);
    }

    public void Dispose()
    {
        http.Dispose();
        circuits.Dispose();
        services.LoginSlots.Dispose();
    }

    private WaadConnectionState NewState(WaadOptions? options) =>
        new(options is null ? null : circuits.For(AzureTenantMetadata.Authority(options)));
}
