using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Hosting;

/// <summary>The response headers Entra's STS sends (reference §3.3).</summary>
internal static class StsHeaders
{
    public static void NoStore(HttpContext context)
    {
        var ids = RequestIds.Of(context);
        var h = context.Response.Headers;
        h.CacheControl = "no-store, no-cache";
        h.Pragma = "no-cache";
        h.Expires = "-1";
        h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        h.XContentTypeOptions = "nosniff";
        h["P3P"] = "CP=\"DSP CUR OTPi IND OTRi ONL FIN\"";
        h["x-ms-request-id"] = ids.TraceId;
        h["x-ms-ests-server"] = "2.1.20000.0 - EMU ProdSlices";
        h["x-ms-clitelem"] = "1,0,0,,";
        if (context.Request.Headers.ContainsKey("client-request-id")) h["client-request-id"] = ids.CorrelationId;
    }

    /// <summary>Discovery documents and keys are cacheable for a day.</summary>
    public static void Cacheable(HttpContext context)
    {
        var h = context.Response.Headers;
        h.CacheControl = "max-age=86400, private";
        h.AccessControlAllowOrigin = "*";
        h.StrictTransportSecurity = "max-age=31536000; includeSubDomains";
        h.XContentTypeOptions = "nosniff";
        h["x-ms-request-id"] = RequestIds.Of(context).TraceId;
    }
}
