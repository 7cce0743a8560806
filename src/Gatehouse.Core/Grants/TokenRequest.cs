namespace Gatehouse.Core.Grants;

/// <summary>Client id and secret from an <c>Authorization: Basic</c> header (already URL-decoded).</summary>
public sealed record BasicCredentials(string ClientId, string ClientSecret);

/// <summary>A parsed token request: each parameter at most once (the edge refuses repeats), empty values treated as absent.</summary>
public sealed record TokenRequest(IReadOnlyDictionary<string, string> Parameters)
{
    public BasicCredentials? Basic { get; init; }

    /// <summary>The end user's IP: the caller's address, or auth0-forwarded-for once the client is trusted for it.</summary>
    public string? Ip { get; init; }

    /// <summary>The address the request came from (differs from Ip when a trusted backend forwards for a user).</summary>
    public string? ClientIp { get; init; }

    /// <summary>A valid IP from the <c>auth0-forwarded-for</c> header, honoured only for trusted confidential clients.</summary>
    public string? ForwardedFor { get; init; }

    public string? UserAgent { get; init; }

    public string CorrelationId { get; init; } = "";

    public string? this[string name] => Parameters.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    public IReadOnlyList<string> Scopes(string? fallback = null) =>
        (this["scope"] ?? fallback ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    public TokenRequest With(string name, string value) =>
        this with { Parameters = new Dictionary<string, string>(Parameters, StringComparer.Ordinal) { [name] = value } };
}
