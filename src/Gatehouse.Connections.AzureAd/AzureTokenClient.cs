using System.Text.Json;
using Gatehouse.Core.Security;

namespace Gatehouse.Connections.AzureAd;

/// <summary>The tokens of a successful grant.</summary>
internal sealed record AzureTokens(string? AccessToken, string? RefreshToken, string? IdToken);

/// <summary>A token-endpoint answer: tokens, or an error to classify.</summary>
internal sealed record TokenAnswer(AzureTokens? Tokens, AadError? Error);

/// <summary>
/// Builds and sends the token requests (password grant, authorization-code redemption, and refresh-token redemption for Graph). Posts exactly once
/// per call: whether to try again is the caller's decision (only the client-authentication rule ever does).
/// </summary>
internal sealed class AzureTokenClient(UpstreamHttpClient http)
{
    public const string MicrosoftGraphResource = "https://graph.microsoft.com";
    public const string V2BaseScopes = "openid profile offline_access email";

    public static Uri TokenUrl(WaadOptions o) => new(o.AuthorityUrl, o.IdentityApi == WaadIdentityApi.V1
        ? $"{Uri.EscapeDataString(o.TenantPath)}/oauth2/token"
        : $"{Uri.EscapeDataString(o.TenantPath)}/oauth2/v2.0/token");

    /// <summary>v2 scope: the app's <c>.default</c> when app_id is set, else Microsoft Graph User.Read plus options.scope.</summary>
    public static string V2Scope(WaadOptions o) => o.AppId is { } appId
        ? $"{V2BaseScopes} {appId.TrimEnd('/')}/.default"
        : string.Join(' ', new[] { V2BaseScopes, "User.Read" }.Concat(o.Scope.Where(s => s != "User.Read")));

    public static List<KeyValuePair<string, string>> PasswordForm(WaadOptions o, string? secret, string username, string password)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "password"),
            new("client_id", o.ClientId),
        };
        if (secret is not null)
        {
            form.Add(new("client_secret", secret));
        }

        if (o.IdentityApi == WaadIdentityApi.V1)
        {
            form.Add(new("resource", o.AppId!));
            form.Add(new("scope", "openid"));
        }
        else
        {
            form.Add(new("scope", V2Scope(o)));
        }

        form.Add(new("username", username));
        form.Add(new("password", password));
        return form;
    }

    /// <summary>
    /// The authorization_code redemption of a browser sign-in: the same resource (v1) or scope (v2) as at authorize,
    /// the same redirect_uri, the PKCE verifier, and the secret when the connection has one (a Web app registration).
    /// </summary>
    public static List<KeyValuePair<string, string>> AuthorizationCodeForm(WaadOptions o, string? secret, string code, Uri redirectUri, string codeVerifier)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "authorization_code"),
            new("client_id", o.ClientId),
        };
        if (secret is not null)
        {
            form.Add(new("client_secret", secret));
        }

        form.Add(o.IdentityApi == WaadIdentityApi.V1 ? new("resource", o.AppId!) : new("scope", V2Scope(o)));
        form.Add(new("code", code));
        form.Add(new("redirect_uri", redirectUri.AbsoluteUri));
        form.Add(new("code_verifier", codeVerifier));
        return form;
    }

    public static List<KeyValuePair<string, string>> GraphRefreshForm(WaadOptions o, string? secret, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("client_id", o.ClientId),
            new("refresh_token", refreshToken),
        };
        if (secret is not null)
        {
            form.Add(new("client_secret", secret));
        }

        form.Add(o.IdentityApi == WaadIdentityApi.V1
            ? new("resource", MicrosoftGraphResource)
            : new("scope", MicrosoftGraphResource + "/.default"));
        return form;
    }

    public static Uri DeviceCodeUrl(WaadOptions o) => new(o.AuthorityUrl, o.IdentityApi == WaadIdentityApi.V1
        ? $"{Uri.EscapeDataString(o.TenantPath)}/oauth2/devicecode?api-version=1.0"
        : $"{Uri.EscapeDataString(o.TenantPath)}/oauth2/v2.0/devicecode");

    /// <summary>The device authorization request (interactive-flows.md §6.1): as a public client, the sign-in's resource or scope.</summary>
    public static List<KeyValuePair<string, string>> DeviceCodeForm(WaadOptions o) =>
    [
        new("client_id", o.ClientId),
        o.IdentityApi == WaadIdentityApi.V1 ? new("resource", o.AppId!) : new("scope", V2Scope(o)),
    ];

    /// <summary>One poll (§6.2): v1 sends grant_type device_code with code=, v2 the RFC 8628 grant with device_code=.</summary>
    public static List<KeyValuePair<string, string>> DeviceCodePollForm(WaadOptions o, string deviceCode) => o.IdentityApi == WaadIdentityApi.V1
        ? [new("grant_type", "device_code"), new("client_id", o.ClientId), new("code", deviceCode), new("resource", o.AppId!)]
        : [new("grant_type", "urn:ietf:params:oauth:grant-type:device_code"), new("client_id", o.ClientId), new("device_code", deviceCode)];

    public Task<TokenAnswer> DeviceCodePollAsync(WaadOptions o, string deviceCode, string correlationId, CancellationToken ct) =>
        PostAsync(o, DeviceCodePollForm(o, deviceCode), correlationId, "device code poll", ct);

    /// <summary>Starts Azure's device code flow: its codes, or its error.</summary>
    public async Task<(AzureDeviceCode? Code, AadError? Error)> DeviceCodeAsync(WaadOptions o, string correlationId, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, DeviceCodeUrl(o)) { Content = new FormUrlEncodedContent(DeviceCodeForm(o)) };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("client-request-id", correlationId);
        request.Headers.TryAddWithoutValidation("return-client-request-id", "true");
        var response = await http.SendAsync(request, o.TokenTimeout, "device code", ct);
        if (response.Status != 200)
        {
            return (null, AadError.Parse(response.Status, response.Body, response.RetryAfter));
        }

        return (AzureDeviceCode.Parse(response.Body), null);
    }

    /// <summary>
    /// The refresh that rechecks a user's session: the same resource (v1) or scope (v2, with offline_access) as the
    /// sign-in, so Azure rotates the refresh token it answers with.
    /// </summary>
    public static List<KeyValuePair<string, string>> SessionRefreshForm(WaadOptions o, string? secret, string refreshToken)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("grant_type", "refresh_token"),
            new("client_id", o.ClientId),
            new("refresh_token", refreshToken),
        };
        if (secret is not null)
        {
            form.Add(new("client_secret", secret));
        }

        form.Add(o.IdentityApi == WaadIdentityApi.V1 ? new("resource", o.AppId!) : new("scope", V2Scope(o)));
        return form;
    }

    public Task<TokenAnswer> SessionRefreshAsync(WaadOptions o, string? secret, string refreshToken, string correlationId, CancellationToken ct) =>
        PostAsync(o, SessionRefreshForm(o, secret, refreshToken), correlationId, "session recheck", ct);

    public Task<TokenAnswer> PasswordAsync(WaadOptions o, string? secret, string username, string password, string correlationId, CancellationToken ct) =>
        PostAsync(o, PasswordForm(o, secret, username, password), correlationId, "password grant", ct);

    public Task<TokenAnswer> AuthorizationCodeAsync(
        WaadOptions o, string? secret, string code, Uri redirectUri, string codeVerifier, string correlationId, CancellationToken ct) =>
        PostAsync(o, AuthorizationCodeForm(o, secret, code, redirectUri, codeVerifier), correlationId, "code redemption", ct);

    public Task<TokenAnswer> RefreshForGraphAsync(WaadOptions o, string? secret, string refreshToken, string correlationId, CancellationToken ct) =>
        PostAsync(o, GraphRefreshForm(o, secret, refreshToken), correlationId, "refresh for Graph", ct);

    private async Task<TokenAnswer> PostAsync(WaadOptions o, List<KeyValuePair<string, string>> form, string correlationId, string what, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenUrl(o)) { Content = new FormUrlEncodedContent(form) };
        request.Headers.TryAddWithoutValidation("Accept", "application/json");
        request.Headers.TryAddWithoutValidation("client-request-id", correlationId);
        request.Headers.TryAddWithoutValidation("return-client-request-id", "true");
        var response = await http.SendAsync(request, o.TokenTimeout, what, ct);
        if (response.Status != 200)
        {
            return new TokenAnswer(null, AadError.Parse(response.Status, response.Body, response.RetryAfter));
        }

        return new TokenAnswer(ParseTokenResponse(response.Body, what), null);
    }

    /// <summary>
    /// A 200 token response's tokens. Anything else (not JSON, not an object, a duplicate or broken string, no
    /// access_token) is an <see cref="UpstreamCallException"/>: Azure did not answer as a token endpoint does.
    /// </summary>
    internal static AzureTokens ParseTokenResponse(string body, string what)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new UpstreamCallException($"{what}: token response is not a JSON object", null, false);
            }

            if (StrictJson.Find(root) is { } problem)
            {
                throw new UpstreamCallException($"{what}: token response member {problem.Path} {problem.Problem}", null, false);
            }

            var tokens = new AzureTokens(Str(root, "access_token"), Str(root, "refresh_token"), Str(root, "id_token"));
            if (tokens.AccessToken is null)
            {
                throw new UpstreamCallException($"{what}: token response without access_token", null, false);
            }

            return tokens;
        }
        catch (JsonException)
        {
            throw new UpstreamCallException($"{what}: malformed JSON in a 200 token response", null, false);
        }
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
