using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>The form fields of a token request that the emulator reads. The password is never logged.</summary>
internal sealed class TokenRequest
{
    public required string Version { get; init; }
    public required string TenantSegment { get; init; }
    public string? GrantType { get; init; }
    public string? ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public bool HasClientAssertion { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string? Resource { get; init; }
    public string? Scope { get; init; }
    public string? RefreshToken { get; init; }
    public string? Code { get; init; }
    public string? RedirectUri { get; init; }
    public string? CodeVerifier { get; init; }
    public bool ClientInfo { get; init; }

    public bool IsV1 => Version == "1.0";
    public bool SentClientCredential => ClientSecret is not null || HasClientAssertion;

    public static async Task<TokenRequest> ReadAsync(HttpContext context, string tenant, string version)
    {
        var form = await ReadFormOrEmptyAsync(context);
        var (basicId, basicSecret) = BasicCredentials(context.Request);
        return new TokenRequest
        {
            Version = version,
            TenantSegment = tenant,
            GrantType = Field(form, "grant_type"),
            ClientId = Field(form, "client_id") ?? basicId,
            ClientSecret = Field(form, "client_secret") ?? basicSecret,
            HasClientAssertion = Field(form, "client_assertion") is not null,
            Username = Field(form, "username"),
            Password = form.TryGetValue("password", out var p) && p.Count > 0 ? p[0] : null,
            Resource = Field(form, "resource"),
            Scope = Field(form, "scope"),
            RefreshToken = Field(form, "refresh_token"),
            Code = Field(form, "code"),
            RedirectUri = Field(form, "redirect_uri"),
            CodeVerifier = Field(form, "code_verifier"),
            ClientInfo = Field(form, "client_info") == "1",
        };
    }

    /// <summary>The form body; empty when the body is not a (well-formed) form, so the parameter checks answer.</summary>
    public static async Task<IFormCollection> ReadFormOrEmptyAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType) return FormCollection.Empty;
        try
        {
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return FormCollection.Empty;
        }
    }

    private static string? Field(IFormCollection form, string name)
    {
        if (!form.TryGetValue(name, out var values) || values.Count == 0) return null;
        var v = values[0];
        return string.IsNullOrWhiteSpace(v) ? null : v.Trim();
    }

    /// <summary>client_secret_basic: Authorization: Basic base64(urlencode(id):urlencode(secret)).</summary>
    private static (string? Id, string? Secret) BasicCredentials(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return (null, null);
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (null, null) : (Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..]));
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }
}
