using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;
using Microsoft.AspNetCore.Http.Metadata;

namespace Gatehouse.Server.Management;

/// <summary>
/// Every Management API write appends a <c>sapi</c> event when it succeeds and <c>fapi</c> when it is refused (method,
/// path, caller, status; never the body); a read that returns secrets appends <c>mgmt_api_read</c>. This is the admin
/// layer's one audit event for changes made through the Management API (<see cref="AdminAudit"/> records the other doors).
/// </summary>
internal static class ManagementAudit
{
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (HttpMethods.IsGet(context.Request.Method))
            return await next(invocation);
        var summary = context.GetEndpoint()?.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? "Management API write";
        object? result;
        try
        {
            result = await next(invocation);
        }
        catch (ManagementException e)
        {
            await WriteAsync(context, LogTypes.ManagementApiFailure, summary, e.Status, e.Message);
            throw;
        }
        catch (AdminException e)
        {
            var refusal = ManagementException.From(e);
            await WriteAsync(context, LogTypes.ManagementApiFailure, summary, refusal.Status, refusal.Message);
            throw;
        }
        catch (StoreException e)
        {
            await WriteAsync(context, LogTypes.ManagementApiFailure, summary, e.Error == StoreError.NotFound ? 404 : 409, null);
            throw;
        }
        // Results.Json without an explicit status answers 200 but reports a null StatusCode.
        var status = result is IStatusCodeHttpResult coded ? coded.StatusCode ?? 200 : 200;
        await WriteAsync(context, status is >= 200 and < 300 ? LogTypes.ManagementApiWrite : LogTypes.ManagementApiFailure, summary, status, null);
        return result;
    }

    /// <summary>Records that the caller was shown secrets (client_secret of a client or in a connection's options).</summary>
    public static Task SecretReadAsync(HttpContext context, string description) =>
        WriteAsync(context, LogTypes.ManagementApiSecretRead, description, 200, null);

    private static async Task WriteAsync(HttpContext context, string type, string description, int statusCode, string? error)
    {
        var caller = context.Caller();
        var request = new Dictionary<string, object?>
        {
            ["channel"] = "api",
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
                ["response"] = error is null
                    ? new Dictionary<string, object?> { ["statusCode"] = statusCode }
                    : new Dictionary<string, object?> { ["statusCode"] = statusCode, ["body"] = new Dictionary<string, object?> { ["message"] = error } },
            }),
        }, context.RequestAborted);
    }
}
