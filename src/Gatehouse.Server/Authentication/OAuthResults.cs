using Gatehouse.Core.Grants;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Authentication;

/// <summary>Authentication API responses: <c>{error, error_description}</c> errors, and no caching of anything with tokens.</summary>
internal static class OAuthResults
{
    public static IResult Error(OAuthError error)
    {
        var body = new Dictionary<string, string> { ["error"] = error.Error, ["error_description"] = error.Description };
        foreach (var (name, value) in error.Extra ?? new Dictionary<string, string>())
            body.TryAdd(name, value);
        IResult result = new NoStore(Results.Json(body, JsonDefaults.Options, statusCode: error.Status));
        return error.RetryAfterSeconds is { } seconds ? new RetryAfter(result, seconds) : result;
    }

    public static IResult Error(int status, string error, string description) =>
        new NoStore(Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, JsonDefaults.Options, statusCode: status));

    public static IResult Json(object body) => new NoStore(Results.Json(body, JsonDefaults.Options));

    private sealed class RetryAfter(IResult inner, int seconds) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return inner.ExecuteAsync(httpContext);
        }
    }

    /// <summary>Adds <c>Cache-Control: no-store</c> and <c>Pragma: no-cache</c> (RFC 6749 §5.1).</summary>
    private sealed class NoStore(IResult inner) : IResult, IStatusCodeHttpResult
    {
        public int? StatusCode => (inner as IStatusCodeHttpResult)?.StatusCode;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            httpContext.Response.Headers.Pragma = "no-cache";
            return inner.ExecuteAsync(httpContext);
        }
    }
}
