using Gatehouse.Server.Authentication;

namespace Gatehouse.Server.Authorization;

/// <summary>The parameters a browser sends to /authorize or an identity provider to /login/callback.</summary>
internal static class BrowserParameters
{
    /// <summary>Query (GET) or form body (POST), each parameter at most once.</summary>
    public static async Task<(Dictionary<string, string>? Parameters, string? Error)> ReadAsync(HttpContext http)
    {
        if (HttpMethods.IsPost(http.Request.Method))
        {
            if (!http.Request.HasFormContentType)
                return (null, "Content-Type must be application/x-www-form-urlencoded.");
            var (form, error) = await TokenRequestReader.ReadAsync(http);
            return form is null ? (null, error!.Description) : (new Dictionary<string, string>(form.Parameters, StringComparer.Ordinal), null);
        }
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in http.Request.Query)
        {
            if (values.Count != 1)
                return (null, $"The parameter {AuthorizeRequestReader.Shorten(name)} must be sent once.");
            parameters[name] = values[0] ?? "";
        }
        return (parameters, null);
    }
}
