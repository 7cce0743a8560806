namespace Gatehouse.Server.Login;

/// <summary>
/// A login page response: no caching, no framing (<c>frame-ancestors 'none'</c> and X-Frame-Options DENY), no script,
/// styles from Gatehouse only, images only from the tenant's checked logo origin, forms only to <paramref name="FormAction"/>.
/// </summary>
internal sealed record LoginHtmlResult(int Status, string Body, string? FormAction, Uri? ImageSource) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => Status;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.StatusCode = Status;
        response.ContentType = "text/html; charset=utf-8";
        var images = ImageSource is null ? "" : $"; img-src {ImageSource.GetLeftPart(UriPartial.Authority)}";
        response.Headers.ContentSecurityPolicy = "default-src 'none'; style-src 'self'" + images
            + $"; form-action {FormAction ?? "'none'"}; frame-ancestors 'none'; base-uri 'none'";
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
        response.Headers["Referrer-Policy"] = "no-referrer";
        return response.WriteAsync(Body, httpContext.RequestAborted);
    }
}
