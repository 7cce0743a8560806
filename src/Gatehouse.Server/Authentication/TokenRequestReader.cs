using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Grants;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Server.Authentication;

/// <summary>
/// Reads a token-endpoint body (form or JSON) into a <see cref="TokenRequest"/>: at most 64 KB, every parameter at
/// most once (RFC 6749 §3.2), string values only (a JSON scope may be an array of strings), Basic client credentials.
/// </summary>
internal static class TokenRequestReader
{
    public const int MaxBodyBytes = 64 * 1024;

    public static async Task<(TokenRequest? Request, OAuthError? Error)> ReadAsync(HttpContext context)
    {
        var http = context.Request;
        var (body, tooLarge) = await ReadBodyAsync(http, context.RequestAborted);
        if (tooLarge)
            return (null, new OAuthError(413, "invalid_request", $"The request body is larger than {MaxBodyBytes} bytes."));

        var mediaType = MediaTypeHeaderValue.TryParse(http.ContentType, out var parsed) ? parsed.MediaType : null;
        (Dictionary<string, string>? Parameters, OAuthError? Error) read = mediaType switch
        {
            "application/x-www-form-urlencoded" => ParseForm(body),
            "application/json" => ParseJson(body),
            null when body.Length == 0 => ([], null),
            _ => (null, OAuthError.InvalidRequest("Content-Type must be application/x-www-form-urlencoded or application/json.")),
        };
        if (read.Error is not null)
            return (null, read.Error);

        var (basic, basicError) = ParseBasic(http.Headers.Authorization.ToString());
        if (basicError is not null)
            return (null, basicError);
        return (new TokenRequest(read.Parameters!)
        {
            Basic = basic,
            Ip = context.Connection.RemoteIpAddress?.ToString(),
            ForwardedFor = System.Net.IPAddress.TryParse(http.Headers["auth0-forwarded-for"].ToString().Trim(), out var forwarded) ? forwarded.ToString() : null,
            UserAgent = http.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null,
            CorrelationId = context.TraceIdentifier,
        }, null);
    }

    private static async Task<(string Body, bool TooLarge)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
            return ("", true);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return ("", true);
            buffer.Write(chunk, 0, read);
        }
        try
        {
            return (new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer.GetBuffer(), 0, (int)buffer.Length), false);
        }
        catch (DecoderFallbackException)
        {
            return ("\uFFFD", false); // not UTF-8: parsing below reports it as malformed
        }
    }

    private static (Dictionary<string, string>?, OAuthError?) ParseForm(string body)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in QueryHelpers.ParseQuery(body))
        {
            if (values.Count > 1)
                return (null, Repeated(name));
            result[name] = values.ToString();
        }
        return (result, null);
    }

    private static (Dictionary<string, string>?, OAuthError?) ParseJson(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
        }
        catch (JsonException)
        {
            return (null, OAuthError.InvalidRequest("The request body is not valid JSON."));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return (null, OAuthError.InvalidRequest("The request body must be a JSON object."));
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (result.ContainsKey(property.Name))
                    return (null, Repeated(property.Name));
                var value = property.Value;
                switch (value.ValueKind)
                {
                    case JsonValueKind.String:
                        result[property.Name] = value.GetString()!;
                        break;
                    case JsonValueKind.Null:
                        break;
                    case JsonValueKind.Array when property.Name == "scope" && value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String):
                        result[property.Name] = string.Join(' ', value.EnumerateArray().Select(v => v.GetString()));
                        break;
                    case JsonValueKind.Array when property.Name == "scope":
                        return (null, new OAuthError(400, "invalid_scope", "Scope must be an array or a string"));
                    default:
                        return (null, OAuthError.InvalidRequest($"Parameter '{property.Name}' must be a string."));
                }
            }
            return (result, null);
        }
    }

    private static (BasicCredentials?, OAuthError?) ParseBasic(string header)
    {
        if (header.Length == 0 || !header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return (null, null);
        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
                return (new BasicCredentials(Uri.UnescapeDataString(decoded[..colon]), Uri.UnescapeDataString(decoded[(colon + 1)..])), null);
        }
        catch (FormatException)
        {
        }
        return (null, OAuthError.InvalidClient());
    }

    private static OAuthError Repeated(string name) => OAuthError.InvalidRequest($"Parameter '{name}' was sent more than once.");
}
