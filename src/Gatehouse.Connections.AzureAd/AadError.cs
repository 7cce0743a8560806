using System.Globalization;
using System.Text;
using System.Text.Json;
using Gatehouse.Core.Security;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// An error answer from the Azure AD token or discovery endpoint: <c>{error, error_description, error_codes, suberror,
/// trace_id, correlation_id, timestamp}</c>. Only the machine fields are kept; the description text is never used to
/// decide anything (Microsoft changes it) and never shown to callers.
/// </summary>
public sealed record AadError(
    int HttpStatus,
    string? Error,
    IReadOnlyList<int> Codes,
    string? SubError,
    string? TraceId,
    string? CorrelationId,
    string? Timestamp,
    TimeSpan? RetryAfter)
{
    /// <summary>The code that decides the class. A leading 70002 ("Error validating credentials") only wraps the real code after it.</summary>
    public int? PrimaryCode => Codes.Count switch
    {
        0 => null,
        > 1 when Codes[0] == 70002 => Codes[1],
        _ => Codes[0],
    };

    /// <summary>One line for the audit log: status, AADSTS codes, error, suberror, ids. Never the description text.</summary>
    public string ToDetail()
    {
        var sb = new StringBuilder();
        sb.Append("http=").Append(HttpStatus.ToString(CultureInfo.InvariantCulture));
        if (Codes.Count > 0)
        {
            sb.Append(" aadsts=").Append(string.Join(',', Codes.Select(c => c.ToString(CultureInfo.InvariantCulture))));
        }

        Append(sb, "error", Error);
        Append(sb, "suberror", SubError);
        Append(sb, "trace_id", TraceId);
        Append(sb, "correlation_id", CorrelationId);
        Append(sb, "timestamp", Timestamp);
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            // Upstream text may carry anything; keep the audit line on one line and short.
            var clean = new string(value.Take(100).Select(ch => char.IsControl(ch) || ch == ' ' ? '_' : ch).ToArray());
            sb.Append(' ').Append(name).Append('=').Append(clean);
        }
    }

    /// <summary>Reads an error body; a body that is not JSON (HTML, "Too Many Requests") yields no codes.</summary>
    public static AadError Parse(int httpStatus, string body, TimeSpan? retryAfter)
    {
        string? error = null, subError = null, traceId = null, correlationId = null, timestamp = null;
        var codes = new List<int>();
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object && StrictJson.Find(root) is null)
            {
                error = Str(root, "error");
                subError = Str(root, "suberror");
                traceId = Str(root, "trace_id");
                correlationId = Str(root, "correlation_id");
                timestamp = Str(root, "timestamp");
                if (root.TryGetProperty("error_codes", out var arr) && arr.ValueKind == JsonValueKind.Array)
                {
                    foreach (var c in arr.EnumerateArray())
                    {
                        if (c.ValueKind == JsonValueKind.Number && c.TryGetInt32(out var n))
                        {
                            codes.Add(n);
                        }
                        else if (c.ValueKind == JsonValueKind.String && int.TryParse(c.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n))
                        {
                            codes.Add(n);
                        }
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: classified on the HTTP status alone.
        }

        return new AadError(httpStatus, error, codes, subError, traceId, correlationId, timestamp, retryAfter);
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
