namespace Gatehouse.Server.Shared;

/// <summary>Who is on the other end of a browser request, as the audit log and attack protection record it.</summary>
internal static class BrowserCaller
{
    public static string? Ip(HttpContext http) => http.Connection.RemoteIpAddress?.ToString();

    /// <summary>The User-Agent, cut to the length the token endpoint keeps.</summary>
    public static string? UserAgent(HttpContext http) =>
        http.Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null;
}
