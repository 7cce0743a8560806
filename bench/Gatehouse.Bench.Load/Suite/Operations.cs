using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Bench.Load.Load;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>The requests the scenarios send. Each one reads the whole answer and checks its status.</summary>
public static class Operations
{
    public static Operation PostForm(string path, IReadOnlyList<KeyValuePair<string, string>> form, string mustContain = "\"access_token\"")
    {
        // The body is encoded once; each request sends the same bytes, so the client's own cost stays small.
        var body = Encoding.ASCII.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))));
        return async (http, ct) =>
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
            using var response = await http.PostAsync(path, content, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return Check(response, text, mustContain);
        };
    }

    public static Operation Get(string path, string? bearer = null, string? mustContain = null) => async (http, ct) =>
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null)
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        using var response = await http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return Check(response, text, mustContain);
    };

    public static Operation PatchJson(string path, string bearer, Func<long, string> body)
    {
        long n = 0;
        return async (http, ct) =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Patch, path)
            {
                Content = new StringContent(body(Interlocked.Increment(ref n)), Encoding.UTF8, "application/json"),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return Check(response, text, null);
        };
    }

    private static string? Check(HttpResponseMessage response, string text, string? mustContain)
    {
        if (response.StatusCode != HttpStatusCode.OK)
            return $"HTTP {(int)response.StatusCode} {Brief(text)}";
        if (mustContain is not null && !text.Contains(mustContain, StringComparison.Ordinal))
            return "200 without " + mustContain;
        return null;
    }

    private static string Brief(string text)
    {
        var i = text.IndexOf("\"error\"", StringComparison.Ordinal);
        var s = i >= 0 ? text[i..] : text;
        return s.Length > 80 ? s[..80] : s;
    }
}
