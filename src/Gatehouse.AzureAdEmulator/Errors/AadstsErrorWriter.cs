using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Errors;

/// <summary>Writes an STS error with Entra's exact JSON shape (reference §5.1, §11.3 step 7).</summary>
internal static class AadstsErrorWriter
{
    public static async Task WriteAsync(HttpContext context, AadstsError error, EmulatorSettings settings, TimeProvider time)
    {
        var ids = RequestIds.Of(context);
        var (description, timestamp) = Describe(context, error, settings, time);

        StsHeaders.NoStore(context);
        context.Response.StatusCode = error.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        if (error.Status == 401) context.Response.Headers.WWWAuthenticate = "Bearer";

        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("error", error.Error);
            w.WriteString("error_description", description);
            w.WriteStartArray("error_codes");
            w.WriteNumberValue(error.Code);
            w.WriteEndArray();
            w.WriteString("timestamp", timestamp);
            w.WriteString("trace_id", ids.TraceId);
            w.WriteString("correlation_id", ids.CorrelationId);
            w.WriteString("error_uri", $"{RequestIds.BaseUrl(context)}error?code={error.Code}");
            if (error.Suberror is not null) w.WriteString("suberror", error.Suberror);
            if (error.Claims is not null) w.WriteString("claims", error.Claims);
            w.WriteEndObject();
        }
        await context.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), context.RequestAborted);
    }

    /// <summary>The error_description Entra writes (AADSTS code, message, trace and correlation ids, timestamp).</summary>
    public static (string Description, string Timestamp) Describe(HttpContext context, AadstsError error, EmulatorSettings settings, TimeProvider time)
    {
        var ids = RequestIds.Of(context);
        var timestamp = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var separator = settings.DescriptionSeparator == "space" ? " " : "\r\n";
        return ($"AADSTS{error.Code}: {error.Message}{separator}Trace ID: {ids.TraceId}{separator}Correlation ID: {ids.CorrelationId}{separator}Timestamp: {timestamp}", timestamp);
    }
}
