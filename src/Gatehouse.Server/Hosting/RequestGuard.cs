using Gatehouse.Server.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Refuses a request whose path or query string carries a NUL character (<c>%00</c>) before any endpoint runs: no
/// identifier, search or id contains one, PostgreSQL refuses it in text (a 500 otherwise), and C-based tools
/// downstream of the logs would cut the value there. Answers in the API's own error shape.
/// </summary>
internal static class RequestGuard
{
    public static void UseRequestGuard(this WebApplication app) => app.Use(async (context, next) =>
    {
        var request = context.Request;
        var rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? "";
        if (request.Path.Value?.Contains('\0', StringComparison.Ordinal) == true
            || rawTarget.Contains("%00", StringComparison.Ordinal)
            || request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
        {
            var result = request.Path.StartsWithSegments("/api/v2")
                ? ManagementResults.Error(400, "Query validation error: 'NUL characters are not allowed in the path or query string'.", "invalid_query_string")
                : OAuthResults.Error(400, "invalid_request", "NUL characters are not allowed in the path or query string.");
            await result.ExecuteAsync(context);
            return;
        }
        await next(context);
    });
}
