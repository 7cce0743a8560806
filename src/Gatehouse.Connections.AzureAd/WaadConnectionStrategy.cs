using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Strategy <c>waad</c>: Azure AD (Microsoft Entra ID) through the Resource Owner Password grant. Register one
/// instance as a singleton; it owns the upstream HTTP handler, the discovery/key cache, and per-connection state
/// (circuit breaker, learned client-authentication mode) keyed by (connection id, version).
/// </summary>
public sealed class WaadConnectionStrategy : IConnectionStrategy, IDisposable
{
    public const string StrategyName = "waad";

    private readonly ISecretProtector secrets;
    private readonly WaadServerDefaults defaults;
    private readonly TimeProvider time;
    private readonly HttpClient http;
    private readonly WaadServices services;
    private readonly WaadPreflight preflight;
    private readonly ConcurrentDictionary<string, (long Version, WaadConnectionState State)> states = new(StringComparer.Ordinal);

    /// <summary>The production constructor: upstream TLS trusts the system store plus <see cref="WaadServerDefaults.ExtraTrustedCertificates"/>.</summary>
    public WaadConnectionStrategy(ISecretProtector secrets, TimeProvider time, WaadServerDefaults defaults)
        : this(secrets, time, defaults, WaadHttp.CreateHandler(defaults))
    {
    }

    /// <summary>With a given handler (tests). The strategy disposes it.</summary>
    public WaadConnectionStrategy(ISecretProtector secrets, TimeProvider time, WaadServerDefaults defaults, HttpMessageHandler handler)
    {
        this.secrets = secrets;
        this.defaults = defaults;
        this.time = time;
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan }; // time-outs are per request
        var metadata = new AzureMetadataCache(http, time, defaults.MetadataLifetime);
        services = new WaadServices(
            new AzureTokenClient(http, time),
            metadata,
            new IdTokenValidator(metadata, time),
            new GraphClient(http, time),
            time,
            new SemaphoreSlim(Math.Max(1, defaults.MaxConcurrentLogins)));
        preflight = new WaadPreflight(http, services, time, defaults, secrets);
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
            _ => (definition.Version, NewState()),
            (_, existing) => existing.Version == definition.Version ? existing : (definition.Version, NewState())).State;
        return new WaadConnection(definition, options, string.Join("; ", parsed.Errors), secret, secretProblem, state, services, preflight);
    }

    public void Dispose()
    {
        http.Dispose();
        services.LoginSlots.Dispose();
    }

    private WaadConnectionState NewState() =>
        new(new CircuitBreaker(defaults.CircuitFailureThreshold, defaults.CircuitOpenDuration, time));
}
