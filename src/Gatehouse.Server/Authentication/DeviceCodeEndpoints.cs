using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Storage;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Authentication;

/// <summary>
/// POST /oauth/device/code (RFC 8628 §3.1–3.2, Auth0's device authorization endpoint; docs/device-flow.md). The client
/// authenticates as at the token endpoint; <c>connection</c> (a Gatehouse extension) pre-sets the connection, and a
/// connection that brokers its provider's device code flow starts that flow instead of Gatehouse's <c>/activate</c>.
/// </summary>
internal static class DeviceCodeEndpoints
{
    public const string Path = "/oauth/device/code";

    public static void MapDeviceCodeEndpoint(this IEndpointRouteBuilder routes) =>
        routes.MapPost(Path, StartAsync).RateLimitedPerIp(RateLimitOptions.Authentication);

    /// <summary>Auth0's answer fields (RFC 8628 §3.2), also what <c>POST /mfa/continue</c> answers for <c>continue_with=device</c>.</summary>
    public static Dictionary<string, object> Body(DeviceAuthorizationResponse answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var body = new Dictionary<string, object>
        {
            ["device_code"] = answer.DeviceCode,
            ["user_code"] = answer.UserCode,
            ["verification_uri"] = answer.VerificationUri,
            ["expires_in"] = answer.ExpiresIn,
            ["interval"] = answer.Interval,
        };
        if (answer.VerificationUriComplete is { } complete)
            body["verification_uri_complete"] = complete;
        return body;
    }

    private static async Task<IResult> StartAsync(HttpContext http, ClientAuthenticator clients, ConfigCache config, DeviceAuthorizations devices, AuditLog audit)
    {
        var ct = http.RequestAborted;
        var (request, readError) = await TokenRequestReader.ReadAsync(http);
        if (readError is not null)
            return OAuthResults.Error(readError);
        if (TokenRequestLimits.Check(request!) is { } limit)
            return OAuthResults.Error(limit);
        if (request!["client_id"] is null && request.Basic is null)
            return OAuthResults.Error(OAuthError.MissingParameter("client_id"));

        var authentication = await clients.AuthenticateAsync(request, ct);
        if (authentication.Client is not { } client)
            return await FailAsync(authentication.Error!, null, null, null);
        request = EndUserIp.Resolve(request, client);

        Connection? connection = null;
        if (request["connection"] is { } connectionName)
        {
            connection = connectionName.Length <= 128 ? await config.GetConnectionByNameAsync(connectionName, ct) : null;
            if (connection is null)
                return await FailAsync(OAuthError.ConnectionNotFound(), client, null, null);
        }

        DeviceStart start;
        try
        {
            start = await devices.StartAsync(client, connection, request["login_hint"], request["scope"], request["audience"] ?? request["resource"],
                new LoginContext(client.ClientId, request.Ip, request.UserAgent, request.CorrelationId), ct);
        }
        catch (UpstreamUnavailableException unavailable)
        {
            return await FailAsync(OAuthError.TemporarilyUnavailable(unavailable.RetryAfter), client, connection, unavailable.Detail);
        }
        if (start.Error is { } error)
            return await FailAsync(error, client, connection, start.Detail);
        return OAuthResults.Json(Body(start.Response!));

        // fdeaz with Auth0's details: the request's client, scope and audience, and the error.
        async Task<IResult> FailAsync(OAuthError failure, Client? known, Connection? named, string? detail)
        {
            var errorDetail = new Dictionary<string, string> { ["message"] = failure.Description, ["oauthError"] = failure.Error };
            if (detail is not null)
                errorDetail["detail"] = detail;
            var requestBody = new Dictionary<string, string?>
            {
                ["client_id"] = known?.ClientId ?? authentication?.ClaimedClientId,
                ["scope"] = request!["scope"],
                ["audience"] = request["audience"],
            };
            await audit.WriteAsync(new AuditEntry(LogTypes.FailedDeviceAuthorization, failure.Description)
            {
                ClientId = known?.ClientId ?? authentication?.ClaimedClientId,
                ClientName = known?.Name,
                Connection = named,
                Ip = request.Ip,
                ClientIp = request.ClientIp ?? request.Ip,
                UserAgent = request.UserAgent,
                Details = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["body"] = requestBody, ["error"] = errorDetail }),
            }, ct);
            return OAuthResults.Error(failure);
        }
    }
}
