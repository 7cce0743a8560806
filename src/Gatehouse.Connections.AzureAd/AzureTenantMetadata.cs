using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Gatehouse.Connections.AzureAd;

/// <summary>The issuer a tenant's tokens must carry, from its discovery document.</summary>
/// <param name="IssuerTemplate">Exact issuer, or one with <c>{tenantid}</c> for the common/organizations endpoints.</param>
/// <param name="TenantId">The tenant GUID in the issuer; null when the issuer is templated.</param>
internal sealed record TenantIssuer(string IssuerTemplate, Guid? TenantId);

/// <summary>
/// Azure AD's view of the toolkit's <see cref="OidcMetadataCache"/>: where a tenant's discovery document and keys are
/// (v1 or v2), the tenant GUID its issuer names, and which error answers are outages (throttled, unavailable) and
/// which mean the options name a wrong tenant or host. The documents and keys are cached by the toolkit, shared by all
/// connections; the tenant read from a document is kept beside it, so a login parses nothing twice.
/// </summary>
internal sealed class AzureTenantMetadata(OidcMetadataCache cache)
{
    /// <summary>The header Azure AD logs a caller's correlation id under.</summary>
    public const string CorrelationHeader = "client-request-id";

    private readonly ConcurrentDictionary<string, (OidcDiscoveryDocument Source, TenantIssuer Issuer)> _issuers = new(StringComparer.Ordinal);

    public OidcMetadataCache Cache => cache;

    /// <summary>Built once per options object (a connection keeps its options while cached; a login asks twice).</summary>
    public static Uri DiscoveryUrl(WaadOptions o) => DiscoveryUrls.GetValue(o, static o => new(o.AuthorityUrl, o.IdentityApi == WaadIdentityApi.V1
        ? $"{Uri.EscapeDataString(o.TenantPath)}/.well-known/openid-configuration"
        : $"{Uri.EscapeDataString(o.TenantPath)}/v2.0/.well-known/openid-configuration"));

    private static readonly ConditionalWeakTable<WaadOptions, Uri> DiscoveryUrls = [];

    public static Uri KeysUrl(WaadOptions o) => new(o.AuthorityUrl, o.IdentityApi == WaadIdentityApi.V1
        ? $"{Uri.EscapeDataString(o.TenantPath)}/discovery/keys"
        : $"{Uri.EscapeDataString(o.TenantPath)}/discovery/v2.0/keys");

    /// <summary>The authority whose circuit a connection shares: the login host and the tenant as configured.</summary>
    public static string Authority(WaadOptions o) => o.AuthorityUrl.AbsoluteUri + o.TenantPath.ToLowerInvariant();

    public static UpstreamCall Call(WaadOptions o, string correlationId) => new(o.TokenTimeout, CorrelationHeader, correlationId);

    /// <summary>The tenant id a discovery already answered for these options (however old: a tenant's id never changes), or null.</summary>
    public Guid? KnownTenantId(WaadOptions o) =>
        _issuers.TryGetValue(DiscoveryUrl(o).AbsoluteUri, out var cached) ? cached.Issuer.TenantId : null;

    public async Task<TenantIssuer> GetIssuerAsync(WaadOptions o, string correlationId, CancellationToken ct)
    {
        var url = DiscoveryUrl(o);
        var document = await cache.GetDiscoveryAsync(url, Call(o, correlationId), ct);
        var key = url.AbsoluteUri;
        if (_issuers.TryGetValue(key, out var cached) && ReferenceEquals(cached.Source, document))
        {
            return cached.Issuer;
        }

        var issuer = document.Issuer;
        var templated = issuer.Contains("{tenantid}", StringComparison.Ordinal);
        Guid? tid = null;
        if (!templated)
        {
            tid = new Uri(issuer).Segments.Select(s => s.Trim('/')).Select(s => Guid.TryParse(s, out var g) ? g : (Guid?)null)
                .FirstOrDefault(g => g is not null);
            if (tid is null)
            {
                throw new WaadRefusalException(WaadRefusals.Misconfigured($"tenant discovery: issuer '{issuer}' names no tenant id"));
            }

            if (o.PinnedTenantId is { } pinned && pinned != tid)
            {
                throw new WaadRefusalException(WaadRefusals.Misconfigured($"tenant discovery: issuer tenant {tid} is not options.tenantId {pinned}"));
            }
        }

        var value = new TenantIssuer(issuer, tid);
        _issuers[key] = (document, value);
        return value;
    }

    /// <summary>
    /// A non-200 discovery or key-set answer: throttled or unavailable is an outage (with Azure's Retry-After); any other
    /// (400 invalid_tenant AADSTS90002, 404) means the options name a wrong tenant or host.
    /// </summary>
    public static Exception ErrorAnswer(UpstreamResponse response, string what)
    {
        var error = AadError.Parse(response.Status, response.Body, response.RetryAfter);
        var cls = AadstsClassifier.Classify(error);
        var detail = $"{what}: {error.ToDetail()}";
        return cls is AadstsClass.Throttled or AadstsClass.Unavailable
            ? new UpstreamCallException(detail, error.RetryAfter, error.RetryAfter is not null)
            : new WaadRefusalException(WaadRefusals.Misconfigured(detail));
    }
}
