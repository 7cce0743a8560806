using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Authorization;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Authentication;

/// <summary>
/// POST /mfa/continue: spends the <c>mfa_token</c> of a password grant's <c>mfa_required</c> for an interactive sign-in
/// at the provider that asked for the second factor (docs/errors.md, "Continuing after mfa_required"):
/// <c>continue_with=browser</c> answers an <c>/authorize</c> URL, <c>continue_with=device</c> starts a device
/// authorization (the <c>/oauth/device/code</c> answer; the connection's own setting picks Gatehouse's <c>/activate</c>
/// or the provider's device page, as at <c>/oauth/device/code</c>). Both end only with the attempted account. Auth0's own MFA
/// API (/mfa/challenge, /mfa/associate, /mfa/authenticators) answers that the factor is at the identity provider.
/// </summary>
internal static partial class MfaEndpoints
{
    public const string ContinuePath = "/mfa/continue";

    /// <summary>What the factor-at-Auth0 endpoints answer: Gatehouse holds no factors; Azure AD asks for its own.</summary>
    public const string FactorAtProviderDescription =
        "The second factor is asked for by the identity provider, not by Gatehouse: exchange the mfa_token at POST /mfa/continue.";

    public static void MapMfaEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(ContinuePath, ContinueAsync).RateLimitedPerIp(RateLimitOptions.Authentication);
        routes.MapPost("/mfa/challenge", () => OAuthResults.Error(403, "unsupported_challenge_type", FactorAtProviderDescription))
            .RateLimitedPerIp(RateLimitOptions.Authentication);
        routes.MapPost("/mfa/associate", () => OAuthResults.Error(403, "access_denied", FactorAtProviderDescription))
            .RateLimitedPerIp(RateLimitOptions.Authentication);
        routes.MapGet("/mfa/authenticators", () => OAuthResults.Error(403, "access_denied", FactorAtProviderDescription))
            .RateLimitedPerIp(RateLimitOptions.Authentication);
    }

    private static async Task<IResult> ContinueAsync(HttpContext http, ClientAuthenticator clients, MfaTokens mfaTokens, TenantIssuer issuer,
        ConfigCache config, DeviceAuthorizations devices, TimeProvider time, ILoggerFactory loggers)
    {
        var log = loggers.CreateLogger(typeof(MfaEndpoints).FullName!);
        var (request, readError) = await TokenRequestReader.ReadAsync(http);
        if (readError is not null)
            return OAuthResults.Error(readError);
        if (request!["mfa_token"] is not { } raw)
            return OAuthResults.Error(OAuthError.MissingParameter("mfa_token"));
        var continueWith = request["continue_with"] ?? "browser";
        if (continueWith is not ("browser" or "device"))
            return OAuthResults.Error(OAuthError.InvalidRequest("continue_with must be browser or device."));
        var client = await clients.AuthenticateAsync(request, http.RequestAborted);
        if (client.Error is { } clientError)
            return OAuthResults.Error(clientError);
        // Checked before the token is spent: an app without the grant keeps its token for the browser.
        if (continueWith == "device" && !client.Client!.GrantTypes.Contains(GrantTypes.DeviceCode))
            return OAuthResults.Error(OAuthError.UnauthorizedClient(GrantTypes.DeviceCode));

        var (binding, refusal) = await mfaTokens.TakeAsync(raw, client.Client!.ClientId, http.RequestAborted);
        if (binding is null)
        {
            MfaTokenRefused(log, client.Client.ClientId, refusal);
            return OAuthResults.Error(refusal switch
            {
                MfaTokenRefusal.Expired => new OAuthError(403, "expired_token", "mfa_token is expired"),
                MfaTokenRefusal.OtherClient => new OAuthError(403, "invalid_grant", "The mfa_token was issued to another application."),
                _ => new OAuthError(403, "invalid_grant", "Malformed mfa_token"),
            });
        }

        MfaTokenExchanged(log, binding.ClientId, binding.ConnectionName, continueWith);
        if (continueWith == "device")
            return await StartDeviceAsync(http, request, client.Client, binding, config, devices);

        var handle = await mfaTokens.IssueBrowserHandleAsync(binding, http.RequestAborted);
        var query = $"client_id={Uri.EscapeDataString(binding.ClientId)}&connection={Uri.EscapeDataString(binding.ConnectionName)}"
            + $"&login_hint={Uri.EscapeDataString(binding.Username)}&scope={Uri.EscapeDataString(binding.Scope)}"
            + (binding.Audience is { } audience ? $"&audience={Uri.EscapeDataString(audience)}" : "")
            + $"&{MfaAccountMatch.AuthorizeParameter}={Uri.EscapeDataString(handle)}";
        var expiresIn = Math.Max(1, (int)(binding.ExpiresAt - time.GetUtcNow()).TotalSeconds);
        return OAuthResults.Json(new Dictionary<string, object>
        {
            ["continue_with"] = "browser",
            ["authorize_url"] = issuer.Issuer + "authorize?" + query,
            ["expires_in"] = expiresIn,
        });
    }

    /// <summary>
    /// The device flow for the tried account: the token's connection pre-set (the same id, so a connection deleted and
    /// made again under the name does not inherit it), the username as login_hint, the token's scope and audience.
    /// </summary>
    private static async Task<IResult> StartDeviceAsync(HttpContext http, TokenRequest request, Client client, MfaBinding binding,
        ConfigCache config, DeviceAuthorizations devices)
    {
        var ct = http.RequestAborted;
        if (await config.GetConnectionByNameAsync(binding.ConnectionName, ct) is not { } connection || connection.Id != binding.ConnectionId)
            return OAuthResults.Error(OAuthError.ConnectionNotFound());
        request = EndUserIp.Resolve(request, client);
        DeviceStart start;
        try
        {
            start = await devices.StartAsync(client, connection, binding.Username, binding.Scope, binding.Audience,
                new LoginContext(client.ClientId, request.Ip, request.UserAgent, request.CorrelationId), ct, binding);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return OAuthResults.Error(OAuthError.TemporarilyUnavailable(unavailable.RetryAfter));
        }
        if (start.Error is { } error)
            return OAuthResults.Error(error);
        var body = DeviceCodeEndpoints.Body(start.Response!);
        body["continue_with"] = "device";
        return OAuthResults.Json(body);
    }

    [LoggerMessage(EventId = 1850, EventName = "MfaTokenRefused", Level = LogLevel.Information,
        Message = "An mfa_token presented by client {ClientId} was refused: {Reason}")]
    private static partial void MfaTokenRefused(ILogger log, string clientId, MfaTokenRefusal reason);

    [LoggerMessage(EventId = 1851, EventName = "MfaTokenExchanged", Level = LogLevel.Information,
        Message = "An mfa_token of client {ClientId} at connection {Connection} continues with {ContinueWith}")]
    private static partial void MfaTokenExchanged(ILogger log, string clientId, string connection, string continueWith);
}
