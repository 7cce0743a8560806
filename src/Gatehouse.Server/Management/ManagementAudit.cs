using System.Text.Json;
using Gatehouse.Core.Logs;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gatehouse.Server.Management;

/// <summary>
/// Every successful Management API write appends a <c>sapi</c> event (method, path, caller; never the body);
/// a read that returns secrets appends <c>mgmt_api_read</c>.
/// </summary>
internal static class ManagementAudit
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var result = await next(invocation);
        var context = invocation.HttpContext;
        if (HttpMethods.IsGet(context.Request.Method) || result is not IStatusCodeHttpResult { StatusCode: >= 200 and < 300 } success)
            return result;
        var summary = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary;
        await WriteAsync(context, LogTypes.ManagementApiWrite, summary ?? "Management API write", success.StatusCode ?? 200);
        return result;
    }

    /// <summary>Records that the caller was shown secrets (client_secret of a client or in a connection's options).</summary>
    public static Task SecretReadAsync(HttpContext context, string description) =>
        WriteAsync(context, LogTypes.ManagementApiSecretRead, description, 200);

    private static async Task WriteAsync(HttpContext context, string type, string description, int statusCode)
    {
        var caller = context.Caller();
        var request = new Dictionary<string, object?>
        {
            ["method"] = context.Request.Method.ToLowerInvariant(),
            ["path"] = context.Request.Path.Value,
            ["auth"] = new Dictionary<string, object?> { ["subject"] = caller.Subject, ["strategy"] = "jwt" },
        };
        if (CorrelationId.Of(context) is { } correlationId)
            request["correlation_id"] = correlationId;
        await context.RequestServices.GetRequiredService<AuditLog>().WriteAsync(new AuditEntry(type, description)
        {
            ClientId = caller.ClientId,
            Ip = context.Connection.RemoteIpAddress?.ToString(),
            UserAgent = context.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
            Details = JsonSerializer.SerializeToElement(new Dictionary<string, object>
            {
                ["request"] = request,
                ["response"] = new Dictionary<string, object?> { ["statusCode"] = statusCode },
            }),
        }, context.RequestAborted);
    }
}
