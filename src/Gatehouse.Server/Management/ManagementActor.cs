using Gatehouse.Core.Admin;

namespace Gatehouse.Server.Management;

/// <summary>The admin layer's actor for a Management API request: the client whose access token made the call.</summary>
internal static class ManagementActor
{
    public static AdminActor AdminActor(this HttpContext context) =>
        Core.Admin.AdminActor.ManagementApiClient(context.Caller().ClientId ?? context.Caller().Subject) with
        {
            Ip = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
        };
}
