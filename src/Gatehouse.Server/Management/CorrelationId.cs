namespace Gatehouse.Server.Management;

/// <summary>
/// Auth0's optional <c>X-Correlation-ID</c> (at most 64 printable characters): echoed on the response and kept in the
/// audit events the request writes, so a tool's run can be found in the logs. Longer or odd values are ignored.
/// </summary>
internal static class CorrelationId
{
    public const string Header = "X-Correlation-ID";
    private const int MaxLength = 64;

    public static string? Of(HttpContext context)
    {
        var value = context.Request.Headers[Header].ToString();
        return value.Length is > 0 and <= MaxLength && value.All(c => c is >= '!' and <= '~') ? value : null;
    }

    public static ValueTask<object?> Filter(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var context = invocation.HttpContext;
        if (Of(context) is { } value)
            context.Response.Headers[Header] = value;
        return next(invocation);
    }
}
