using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OpenIddictPeer;

public sealed record UpstreamOptions(Uri Authority)
{
    public const string Tenant = "contoso.onmicrosoft.com";
    public const string ClientId = "3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e02";
    public const string ApiAppIdUri = "https://contoso.onmicrosoft.com/gatehouse-api";
}

/// <summary>
/// The same upstream call Gatehouse's waad connection makes: Azure AD v2 ROPC for the Web API's .default scope, then
/// the id_token validated (signature against the tenant's JWKS from discovery, issuer, audience, lifetime) the
/// standard way, with Microsoft.IdentityModel's configuration manager caching the keys.
/// </summary>
public sealed class UpstreamClient(HttpClient http, UpstreamOptions options)
{
    private static readonly JsonWebTokenHandler Handler = new();
    private static ConfigurationManager<OpenIdConnectConfiguration>? _configuration;

    public async Task<JsonWebToken?> PasswordGrantAsync(string username, string password, CancellationToken ct)
    {
        var tokenUrl = new Uri(options.Authority, $"{UpstreamOptions.Tenant}/oauth2/v2.0/token");
        using var content = new FormUrlEncodedContent(
        [
            new("grant_type", "password"),
            new("client_id", UpstreamOptions.ClientId),
            new("scope", $"openid profile offline_access email {UpstreamOptions.ApiAppIdUri}/.default"),
            new("username", username),
            new("password", password),
        ]);
        using var response = await http.PostAsync(tokenUrl, content, ct);
        if (!response.IsSuccessStatusCode)
            return null;
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct);
        if (!json.RootElement.TryGetProperty("id_token", out var idToken) || idToken.GetString() is not { } raw)
            return null;

        var configuration = await Configuration().GetConfigurationAsync(ct);
        var result = await Handler.ValidateTokenAsync(raw, new TokenValidationParameters
        {
            ValidIssuer = configuration.Issuer,
            ValidAudience = UpstreamOptions.ClientId,
            IssuerSigningKeys = configuration.SigningKeys,
        });
        return result.IsValid ? (JsonWebToken)result.SecurityToken : null;
    }

    private ConfigurationManager<OpenIdConnectConfiguration> Configuration() =>
        _configuration ??= new ConfigurationManager<OpenIdConnectConfiguration>(
            new Uri(options.Authority, $"{UpstreamOptions.Tenant}/v2.0/.well-known/openid-configuration").ToString(),
            new OpenIdConnectConfigurationRetriever(),
            new HttpDocumentRetriever { RequireHttps = false }); // the emulator is plain HTTP on loopback
}
