using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Connections.Upstream;

/// <summary>
/// The members of an OpenID Provider's discovery document that a strategy uses (OpenID Connect Discovery 1.0 §3).
/// Only <see cref="Issuer"/> is required; it may be a template (Azure AD's common endpoint names <c>{tenantid}</c>).
/// </summary>
public sealed record OidcDiscoveryDocument(
    string Issuer,
    Uri? JwksUri,
    Uri? AuthorizationEndpoint,
    Uri? TokenEndpoint,
    Uri? EndSessionEndpoint,
    DateTimeOffset Expires);

/// <summary>Turns a non-200 metadata answer into the exception the strategy wants (an outage, or its own misconfiguration refusal).</summary>
public delegate Exception UpstreamErrorAnswer(UpstreamResponse response, string what);

/// <summary>
/// Discovery documents and signing key sets of any issuer, shared by all connections of a strategy and cached for
/// <c>lifetime</c>. A token whose kid the cached set lacks refreshes the set at once (key rotation), but at most once
/// per <see cref="UnknownKidRefreshFloor"/> per key set, whatever kid it names: a flood of tokens with made-up kids
/// costs the upstream one request per 30 s.
/// </summary>
public sealed class OidcMetadataCache(UpstreamHttpClient http, TimeSpan lifetime, UpstreamErrorAnswer? errorAnswer = null)
{
    public static readonly TimeSpan UnknownKidRefreshFloor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, OidcDiscoveryDocument> _documents = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, KeySet> _keySets = new(StringComparer.Ordinal);
    private readonly UpstreamErrorAnswer _errorAnswer = errorAnswer ?? DefaultErrorAnswer;

    /// <summary>The document a discovery already answered at <paramref name="url"/>, however old, or null.</summary>
    public OidcDiscoveryDocument? Cached(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return _documents.TryGetValue(url.AbsoluteUri, out var document) ? document : null;
    }

    /// <summary>The discovery document at <paramref name="url"/>; fetched when not cached or expired (a hit allocates nothing).</summary>
    public async ValueTask<OidcDiscoveryDocument> GetDiscoveryAsync(Uri url, UpstreamCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = url.AbsoluteUri;
        if (_documents.TryGetValue(key, out var cached) && cached.Expires > http.Time.GetUtcNow())
            return cached;

        var body = await GetJsonAsync(url, call, "discovery", ct);
        OidcDiscoveryDocument document;
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var issuer = root.ValueKind == JsonValueKind.Object ? Text(root, "issuer") : null;
            if (issuer is null || !Uri.TryCreate(issuer, UriKind.Absolute, out _))
                throw new UpstreamCallException("discovery: no issuer in the document", null, false);
            document = new OidcDiscoveryDocument(issuer, Url(root, "jwks_uri"), Url(root, "authorization_endpoint"),
                Url(root, "token_endpoint"), Url(root, "end_session_endpoint"), http.Time.GetUtcNow() + lifetime);
        }
        catch (JsonException)
        {
            throw new UpstreamCallException("discovery: malformed JSON", null, false);
        }

        _documents[key] = document;
        return document;
    }

    /// <summary>
    /// The signing keys at <paramref name="url"/>. <paramref name="unknownKid"/> (a kid the cached set lacks) forces a
    /// refetch, unless an unknown-kid refetch of this set happened within <see cref="UnknownKidRefreshFloor"/>.
    /// </summary>
    public async ValueTask<IReadOnlyList<SecurityKey>> GetKeysAsync(Uri url, string? unknownKid, UpstreamCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(url);
        var key = url.AbsoluteUri;
        var now = http.Time.GetUtcNow();
        DateTimeOffset? lastUnknownKidRefresh = null;
        if (_keySets.TryGetValue(key, out var cached))
        {
            lastUnknownKidRefresh = cached.LastUnknownKidRefresh;
            if (unknownKid is null ? cached.Fetched + lifetime > now : cached.LastUnknownKidRefresh + UnknownKidRefreshFloor > now)
                return cached.Keys;
        }

        var body = await GetJsonAsync(url, call, "signing keys", ct);
        IReadOnlyList<SecurityKey> keys;
        try
        {
            keys = [.. new JsonWebKeySet(body).GetSigningKeys()];
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException)
        {
            throw new UpstreamCallException("signing keys: malformed key set", null, false, e);
        }

        now = http.Time.GetUtcNow();
        _keySets[key] = new KeySet(keys, now, unknownKid is null ? lastUnknownKidRefresh ?? DateTimeOffset.MinValue : now);
        return keys;
    }

    private async Task<string> GetJsonAsync(Uri url, UpstreamCall call, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        call.Decorate(request);
        var response = await http.SendAsync(request, call.Timeout, what, ct);
        return response.Status == 200 ? response.Body : throw _errorAnswer(response, what);
    }

    /// <summary>429 and 5xx are outages (with the upstream's Retry-After); any other status too, naming it.</summary>
    private static UpstreamCallException DefaultErrorAnswer(UpstreamResponse response, string what) =>
        new($"{what}: http={response.Status}", response.RetryAfter, response.RetryAfter is not null);

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static Uri? Url(JsonElement e, string name) =>
        Text(e, name) is { } text && Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null;

    private sealed record KeySet(IReadOnlyList<SecurityKey> Keys, DateTimeOffset Fetched, DateTimeOffset LastUnknownKidRefresh);
}

/// <summary>
/// How one upstream call is made: its time-out, and the correlation header the upstream logs (Azure AD's
/// <c>client-request-id</c>, for instance), when the strategy sends one.
/// </summary>
public readonly record struct UpstreamCall(TimeSpan Timeout, string? CorrelationHeader = null, string? CorrelationId = null)
{
    public void Decorate(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (CorrelationHeader is not null && CorrelationId is not null)
            request.Headers.TryAddWithoutValidation(CorrelationHeader, CorrelationId);
    }
}
