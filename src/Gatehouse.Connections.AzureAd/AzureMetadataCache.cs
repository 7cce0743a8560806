using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Connections.AzureAd;

/// <summary>The issuer a tenant's tokens must carry, from its discovery document.</summary>
/// <param name="IssuerTemplate">Exact issuer, or one with <c>{tenantid}</c> for the common/organizations endpoints.</param>
/// <param name="TenantId">The tenant GUID in the issuer; null when the issuer is templated.</param>
internal sealed record TenantIssuer(string IssuerTemplate, Guid? TenantId);

/// <summary>
/// Discovery documents (domain → tenant GUID and issuer) and signing keys, shared by all connections and cached
/// for <see cref="WaadServerDefaults.MetadataLifetime"/>. An unknown <c>kid</c> refreshes the keys at once (key rotation),
/// but the same unknown kid at most once per <see cref="MinRefreshInterval"/>, so a bad token cannot hammer Azure.
/// </summary>
internal sealed class AzureMetadataCache(HttpClient http, TimeProvider time, TimeSpan lifetime)
{
    public static readonly TimeSpan MinRefreshInterval = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (TenantIssuer Value, DateTimeOffset Expires)> issuers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<SecurityKey> Keys, DateTimeOffset Fetched, string? RefreshedFor)> keySets = new(StringComparer.Ordinal);

    public static Uri DiscoveryUrl(WaadOptions o) => new(o.AuthorityUrl, o.IdentityApi == WaadIdentityApi.V1
        ? $"{Uri.EscapeDataString(o.TenantPath)}/.well-known/openid-configuration"
        : $"{Uri.EscapeDataString(o.TenantPath)}/v2.0/.well-known/openid-configuration");

    public static Uri KeysUrl(WaadOptions o) => new(o.AuthorityUrl, o.IdentityApi == WaadIdentityApi.V1
        ? $"{Uri.EscapeDataString(o.TenantPath)}/discovery/keys"
        : $"{Uri.EscapeDataString(o.TenantPath)}/discovery/v2.0/keys");

    /// <summary>The tenant id a discovery already answered for these options (however old: a tenant's id never changes), or null.</summary>
    public Guid? KnownTenantId(WaadOptions o) =>
        issuers.TryGetValue(DiscoveryUrl(o).AbsoluteUri, out var cached) ? cached.Value.TenantId : null;

    public async Task<TenantIssuer> GetIssuerAsync(WaadOptions o, string correlationId, CancellationToken ct)
    {
        var url = DiscoveryUrl(o);
        var key = url.AbsoluteUri;
        if (issuers.TryGetValue(key, out var cached) && cached.Expires > time.GetUtcNow())
        {
            return cached.Value;
        }

        var body = await GetJsonAsync(url, o.TokenTimeout, correlationId, "tenant discovery", ct);
        string? issuer = null;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("issuer", out var iss)
                && iss.ValueKind == JsonValueKind.String)
            {
                issuer = iss.GetString();
            }
        }
        catch (JsonException)
        {
            throw new UpstreamCallException("tenant discovery: malformed JSON", null, false);
        }

        if (issuer is null || !Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUri))
        {
            throw new UpstreamCallException("tenant discovery: no issuer in the document", null, false);
        }

        var templated = issuer.Contains("{tenantid}", StringComparison.Ordinal);
        Guid? tid = null;
        if (!templated)
        {
            tid = issuerUri.Segments.Select(s => s.Trim('/')).Select(s => Guid.TryParse(s, out var g) ? g : (Guid?)null)
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
        issuers[key] = (value, time.GetUtcNow() + lifetime);
        return value;
    }

    /// <summary>
    /// The signing keys. <paramref name="unknownKid"/> (a kid the cached set lacks) forces a refetch, unless a refetch
    /// for that same kid happened within the last 30 s: a new kid after a rotation is always looked up at once.
    /// </summary>
    public async Task<IReadOnlyList<SecurityKey>> GetKeysAsync(WaadOptions o, string? unknownKid, string correlationId, CancellationToken ct)
    {
        var url = KeysUrl(o);
        var key = url.AbsoluteUri;
        var now = time.GetUtcNow();
        if (keySets.TryGetValue(key, out var cached))
        {
            var fresh = cached.Fetched + lifetime > now;
            var alreadyTriedThisKid = unknownKid is not null && cached.RefreshedFor == unknownKid && cached.Fetched + MinRefreshInterval > now;
            if ((fresh && unknownKid is null) || alreadyTriedThisKid)
            {
                return cached.Keys;
            }
        }

        var body = await GetJsonAsync(url, o.TokenTimeout, correlationId, "signing keys", ct);
        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = [.. new JsonWebKeySet(body).GetSigningKeys()];
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new UpstreamCallException("signing keys: malformed key set", null, false, e);
        }

        keySets[key] = (keys, time.GetUtcNow(), unknownKid);
        return keys;
    }

    private async Task<string> GetJsonAsync(Uri url, TimeSpan timeout, string correlationId, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("client-request-id", correlationId);
        var response = await UpstreamHttp.SendAsync(http, request, timeout, time, what, ct);
        if (response.Status == 200)
        {
            return response.Body;
        }

        var error = AadError.Parse(response.Status, response.Body, response.RetryAfter);
        var cls = AadstsClassifier.Classify(error);
        var detail = $"{what}: {error.ToDetail()}";
        if (cls is AadstsClass.Throttled or AadstsClass.Unavailable)
        {
            throw new UpstreamCallException(detail, error.RetryAfter, error.RetryAfter is not null);
        }

        // 400 invalid_tenant (AADSTS90002), 404 and other client errors mean the options name a wrong tenant or host.
        throw new WaadRefusalException(WaadRefusals.Misconfigured(detail));
    }
}
