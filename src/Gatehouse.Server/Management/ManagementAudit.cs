using System.Text.Json;
using Gatehouse.Core.Logs;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gatehouse.Server.Management;

/// <summary>Every successful Management API write appends a <c>sapi</c> event (method, path, caller; never the body).</summary>
internal static class ManagementAudit
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var result = await next(invocation);
        var context = invocation.HttpContext;
        if (HttpMethods.IsGet(context.Request.Method) || result is not IStatusCodeHttpResult { StatusCode: >= 200 and < 300 })
            return result;
        var caller = context.Caller();
        var summary = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary;
        await context.RequestServices.GetRequiredService<AuditLog>().WriteAsync(new AuditEntry(LogTypes.ManagementApiWrite, summary ?? "Management API write")
        {
            ClientId = caller.ClientId,
            Ip = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["request"] = new Dictionary<string, object?>
                {
                    ["method"] = context.Request.Method.ToLowerInvariant(),
                    ["path"] = context.Request.Path.Value,
                    ["auth"] = new Dictionary<string, object?> { ["subject"] = caller.Subject, ["strategy"] = "jwt" },
                },
                ["response"] = new Dictionary<string, object?> { ["statusCode"] = ((IStatusCodeHttpResult)result).StatusCode },
            }),
        }, context.RequestAborted);
        return result;
    }
}
