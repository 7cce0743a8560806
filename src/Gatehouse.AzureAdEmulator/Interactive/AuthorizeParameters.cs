using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>The parameters of one authorize request (query on GET, form on POST), as sent.</summary>
internal sealed record AuthorizeParameters
{
    public required string Version { get; init; }
    public required string TenantSegment { get; init; }
    public string? ClientId { get; init; }
    public string? RedirectUri { get; init; }
    public string? ResponseType { get; init; }
    public string? ResponseMode { get; init; }
    public string? State { get; init; }
    public string? Nonce { get; init; }
    public string? Scope { get; init; }
    public string? Resource { get; init; }
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }
    public string? LoginHint { get; init; }
    public string? DomainHint { get; init; }
    public string? Prompt { get; init; }

    public bool IsV1 => Version == "1.0";

    /// <summary>form_post, fragment, or query (the default for code).</summary>
    public string Mode => ResponseMode is "form_post" or "fragment" ? ResponseMode : "query";

    public static async Task<AuthorizeParameters> ReadAsync(HttpContext ctx, string tenant, string version)
    {
        IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> source =
            HttpMethods.IsPost(ctx.Request.Method) ? await Endpoints.TokenRequest.ReadFormOrEmptyAsync(ctx) : ctx.Request.Query;
        var values = source.ToDictionary(kv => kv.Key, kv => kv.Value.Count > 0 ? kv.Value[0] : null, StringComparer.Ordinal);
        string? Get(string name) => values.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        return new AuthorizeParameters
        {
            Version = version, TenantSegment = tenant,
            ClientId = Get("client_id"), RedirectUri = Get("redirect_uri"), ResponseType = Get("response_type"),
            ResponseMode = Get("response_mode"), State = values.GetValueOrDefault("state"), Nonce = Get("nonce"),
            Scope = Get("scope"), Resource = Get("resource"), CodeChallenge = Get("code_challenge"),
            CodeChallengeMethod = Get("code_challenge_method"), LoginHint = Get("login_hint"), DomainHint = Get("domain_hint"),
            Prompt = Get("prompt")?.ToLowerInvariant(),
        };
    }
}
