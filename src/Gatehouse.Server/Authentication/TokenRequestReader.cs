using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;

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
        if (tooLarge is not null)
            return (null, tooLarge);
        var (request, error) = Parse(body, http.ContentType, http.Headers.Authorization.ToString());
        if (request is null)
            return (null, error);
        return (request with
        {
            Ip = context.Connection.RemoteIpAddress?.ToString(),
            ForwardedFor = System.Net.IPAddress.TryParse(http.Headers["auth0-forwarded-for"].ToString().Trim(), out var forwarded) ? forwarded.ToString() : null,
            UserAgent = http.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua[..Math.Min(ua.Length, 512)] : null,
            CorrelationId = context.TraceIdentifier,
        }, null);
    }

    /// <summary>
    /// The body (at most <see cref="MaxBodyBytes"/>, already read), its Content-Type and the Authorization header
    /// as a request, or the Auth0-shaped error that refuses them. Never throws: the property tests and fuzz targets
    /// feed it arbitrary bytes.
    /// </summary>
    public static (TokenRequest? Request, OAuthError? Error) Parse(byte[] bytes, string? contentType, string? authorization)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        string body;
        try
        {
            body = Utf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return (null, OAuthError.InvalidRequest("The request body is not valid UTF-8."));
        }

        var mediaType = MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed.MediaType?.ToLowerInvariant() : null;
        if (parsed?.CharSet is { } charset && !string.Equals(charset.Trim('"'), "utf-8", StringComparison.OrdinalIgnoreCase))
            return (null, OAuthError.InvalidRequest("The request body must be UTF-8 (charset=utf-8 or no charset)."));
        (Dictionary<string, string>? Parameters, OAuthError? Error) read = mediaType switch
        {
            "application/x-www-form-urlencoded" => ParseForm(body),
            "application/json" => ParseJson(body),
            null when body.Length == 0 => ([], null),
            _ => (null, OAuthError.InvalidRequest("Content-Type must be application/x-www-form-urlencoded or application/json.")),
        };
        if (read.Error is not null)
            return (null, read.Error);

        // The parameter limits are the Core services' to check (TokenRequestLimits), once, for every door.
        var (basic, basicError) = ParseBasic(authorization ?? "");
        if (basicError is not null)
            return (null, basicError);
        return (new TokenRequest(read.Parameters!) { Basic = basic }, null);
    }

    private static readonly UTF8Encoding Utf8 = new(false, throwOnInvalidBytes: true);

    private static async Task<(byte[] Body, OAuthError? TooLarge)> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        var tooLarge = new OAuthError(413, "invalid_request", $"The request body is larger than {MaxBodyBytes} bytes.");
        if (request.ContentLength > MaxBodyBytes)
            return ([], tooLarge);
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
                return ([], tooLarge);
            buffer.Write(chunk, 0, read);
        }
        return (buffer.ToArray(), null);
    }

    private static (Dictionary<string, string>?, OAuthError?) ParseForm(string body)
    {
        var (pairs, error) = StrictForm.Parse(body);
        if (pairs is null)
            return (null, OAuthError.InvalidRequest(error!));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in pairs)
        {
            if (!result.TryAdd(name, value))
                return (null, Repeated(name));
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
            if (StrictJson.Find(document.RootElement) is { } problem)
                return (null, problem.Duplicate
                    ? Repeated(problem.Path)
                    : OAuthError.InvalidRequest($"Parameter '{problem.Path}' {problem.Problem}."));
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
