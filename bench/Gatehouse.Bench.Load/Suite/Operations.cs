using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Bench.Load.Load;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>The requests the scenarios send. Each one reads the whole answer and checks its status.</summary>
public static class Operations
{
    public static Operation PostForm(string path, IReadOnlyList<KeyValuePair<string, string>> form, string mustContain = "\"access_token\"") =>
        PostForms(path, [form], mustContain);

    /// <summary>Cycles through the forms (one per user of a pool), so concurrent requests are different users.</summary>
    public static Operation PostForms(string path, IReadOnlyList<IReadOnlyList<KeyValuePair<string, string>>> forms, string mustContain = "\"access_token\"")
    {
        // Bodies are encoded once; each request sends ready bytes, so the client's own cost stays small.
        var bodies = forms.Select(form => Encoding.ASCII.GetBytes(string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value))))).ToArray();
        long next = -1;
        return async (http, ct) =>
        {
            var body = bodies[(int)((ulong)Interlocked.Increment(ref next) % (ulong)bodies.Length)];
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

    public static Operation PatchJson(Func<long, string> path, string bearer, Func<long, string> body)
    {
        long n = 0;
        return async (http, ct) =>
        {
            var i = Interlocked.Increment(ref n);
            using var request = new HttpRequestMessage(HttpMethod.Patch, path(i))
            {
                Content = new StringContent(body(i), Encoding.UTF8, "application/json"),
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
