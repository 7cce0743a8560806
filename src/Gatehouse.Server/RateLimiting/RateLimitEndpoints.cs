using Gatehouse.Server.Authentication;
using Gatehouse.Server.Management;

namespace Gatehouse.Server.RateLimiting;

/// <summary>Endpoint wiring: the per-IP filter, and the 429 bodies in each API's own shape.</summary>
internal static class RateLimitEndpoints
{
    /// <summary>Auth0's Authentication API text for a rate-limited request (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy).</summary>
    public const string AuthenticationMessage = "Too many requests. Check the X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.";

    /// <summary>What Auth0's Management API answers on the wire (same policy page; docs/errors.md).</summary>
    public const string ManagementMessage = "Global limit has been reached";

    public static IResult AuthenticationTooManyRequests() => OAuthResults.Error(429, "too_many_requests", AuthenticationMessage);

    public static IResult ManagementTooManyRequests() => ManagementResults.Error(429, ManagementMessage, "too_many_requests");

    /// <summary>An Authentication API endpoint limited per client IP in <paramref name="group"/>.</summary>
    public static TBuilder RateLimitedPerIp<TBuilder>(this TBuilder builder, string group) where TBuilder : IEndpointConventionBuilder =>
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            var context = invocation.HttpContext;
            var decision = await context.RequestServices.GetRequiredService<RateLimiter>()
                .TakeAsync(group, RateLimitKeys.Ip(context), context.Connection.RemoteIpAddress?.ToString(), null, context.RequestAborted);
            if (decision is null)
                return await next(invocation);
            decision.WriteHeaders(context.Response);
            return decision.Allowed ? await next(invocation) : AuthenticationTooManyRequests();
        });

    /// <summary>/userinfo: per user once the token is valid, per IP before.</summary>
    public static async Task<RateLimitDecision?> TakeForUserAsync(HttpContext context, string? userId)
    {
        var key = userId is null ? RateLimitKeys.Ip(context) : RateLimitKeys.User(userId);
        var decision = await context.RequestServices.GetRequiredService<RateLimiter>()
            .TakeAsync(RateLimitOptions.UserInfo, key, context.Connection.RemoteIpAddress?.ToString(), null, context.RequestAborted);
        decision?.WriteHeaders(context.Response);
        return decision;
    }

    /// <summary>
    /// The Management API group's filter (before scopes are checked): per calling client once its token is valid, per
    /// IP before, so a flood of bad tokens cannot empty a real client's bucket.
    /// </summary>
    public static async ValueTask<object?> ManagementFilter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        var token = (await ManagementAuth.AuthenticateAsync(context))?.Token;
        var key = token?.ClientId is { } clientId ? RateLimitKeys.Client(clientId) : RateLimitKeys.Ip(context);
        var decision = await context.RequestServices.GetRequiredService<RateLimiter>()
            .TakeAsync(RateLimitOptions.ManagementApi, key, context.Connection.RemoteIpAddress?.ToString(), token?.ClientId, context.RequestAborted);
        if (decision is null)
            return await next(invocation);
        decision.WriteHeaders(context.Response);
        return decision.Allowed ? await next(invocation) : ManagementTooManyRequests();
    }
}
