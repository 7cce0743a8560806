using System.Data.Common;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Authentication;
using Gatehouse.Server.Management;
using Microsoft.AspNetCore.Diagnostics;

namespace Gatehouse.Server.Hosting;

/// <summary>Unexpected failures still answer in the API's own error shape (never an HTML page or an empty body).</summary>
internal static class ErrorHandling
{
    public static void UseGatehouseErrors(this WebApplication app)
    {
        app.UseExceptionHandler(handler => handler.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            if (error is BadHttpRequestException { StatusCode: 413 })
            {
                // The body went past Kestrel's MaxRequestBodySize while being read (a chunked body has no length to check first).
                var tooLarge = context.Request.Path.StartsWithSegments("/api/v2")
                    ? ManagementResults.Error(413, $"Payload content length greater than maximum allowed: {KestrelSetup.MaxRequestBodyBytes}", "payload_too_large")
                    : OAuthResults.Error(413, "invalid_request", "The request body is too large.");
                await tooLarge.ExecuteAsync(context);
                return;
            }
            if (error is BadHttpRequestException bad)
            {
                var result = context.Request.Path.StartsWithSegments("/api/v2")
                    ? ManagementResults.Error(bad.StatusCode, "Invalid request", "invalid_request")
                    : OAuthResults.Error(bad.StatusCode, "invalid_request", "Invalid request");
                await result.ExecuteAsync(context);
                return;
            }
            if (error is SharedStateUnavailableException || IsStoreUnavailable(error))
            {
                // Redis (codes, transactions, counters) or the database did not answer: a clear, retryable refusal, never
                // a hang or a 500. The readiness check fails meanwhile, so a load balancer sends the next request elsewhere.
                context.Response.Headers.RetryAfter = "5";
                var unavailable = context.Request.Path.StartsWithSegments("/api/v2")
                    ? ManagementResults.Error(503, "Service temporarily unavailable", "temporarily_unavailable")
                    : OAuthResults.Error(503, "temporarily_unavailable", "The service is temporarily unavailable. Please try again later.");
                await unavailable.ExecuteAsync(context);
                return;
            }
            if (context.Request.Path.StartsWithSegments("/dashboard"))
            {
                // The dashboard is read by people: a plain page, never a stack trace.
                await Results.Content("<!DOCTYPE html><html lang=\"en\"><title>Error · Gatehouse</title><h1>Something went wrong</h1>"
                    + "<p>The request failed; nothing more is shown here. The server log has the details.</p><p><a href=\"/dashboard\">Back to the dashboard</a></p>",
                    "text/html; charset=utf-8", statusCode: 500).ExecuteAsync(context);
                return;
            }
            var failure = context.Request.Path.StartsWithSegments("/api/v2")
                ? ManagementResults.Error(500, "Internal error", "internal_error")
                : OAuthResults.Error(500, "server_error", "The server encountered an internal error.");
            await failure.ExecuteAsync(context);
        }));
    }

    /// <summary>The database is down or unreachable (the driver calls such failures transient), not a bug in a query.</summary>
    private static bool IsStoreUnavailable(Exception? error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is DbException { IsTransient: true })
                return true;
        }
        return false;
    }
}
