using System.Net;
using System.Text;

namespace Gatehouse.Connections.AzureAd;

internal sealed record UpstreamResponse(int Status, string Body, TimeSpan? RetryAfter);

/// <summary>
/// One upstream request with an explicit time-out (from the injected TimeProvider) and a bounded body. Network
/// failures and time-outs become <see cref="UpstreamCallException"/>; the caller's own cancellation stays an
/// OperationCanceledException. Exceptions never carry the request body (it may hold a password).
/// </summary>
internal static class UpstreamHttp
{
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    public static async Task<UpstreamResponse> SendAsync(
        HttpClient http, HttpRequestMessage request, TimeSpan timeout, TimeProvider time, string what, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadBoundedAsync(response.Content, linked.Token);
            return new UpstreamResponse((int)response.StatusCode, body, RetryAfter(response, time));
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new UpstreamCallException($"{what}: no answer within {timeout.TotalMilliseconds:0} ms", null, false);
        }
        catch (HttpRequestException e)
        {
            // The message names the host and the socket/TLS error only; the body is never part of it.
            throw new UpstreamCallException($"{what}: {e.HttpRequestError} ({e.Message})", null, false, e);
        }
        catch (IOException e)
        {
            throw new UpstreamCallException($"{what}: connection failed while reading ({e.Message})", null, false, e);
        }
    }

    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                throw new UpstreamCallException($"response body larger than {MaxBodyBytes} bytes", null, false);
            }

            buffer.Write(chunk, 0, read);
        }

        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>True for statuses worth one more try on an idempotent GET.</summary>
    public static bool IsTransient(int status) => status == (int)HttpStatusCode.TooManyRequests || status >= 500;
}
