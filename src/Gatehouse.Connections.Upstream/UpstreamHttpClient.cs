using System.Buffers;
using System.Net;
using System.Text;

namespace Gatehouse.Connections.Upstream;

/// <summary>An upstream answer: status, body (read within the size cap) and the Retry-After it named, if any.</summary>
public sealed record UpstreamResponse(int Status, string Body, TimeSpan? RetryAfter)
{
    /// <summary>True for statuses worth one more try on an idempotent GET: 429 and 5xx.</summary>
    public static bool IsTransient(int status) => status == (int)HttpStatusCode.TooManyRequests || status >= 500;
}

/// <summary>
/// Says whether a request may go to <c>url</c>: null when it may, else the problem. A strategy whose endpoints come
/// from a discovery document (not from options it validated already) checks them here before any credential leaves.
/// </summary>
public delegate string? UpstreamHostPolicy(Uri url);

/// <summary>
/// Every upstream request of a strategy: an explicit time-out per call (from the injected TimeProvider), a response
/// body read up to <see cref="MaxBodyBytes"/>, and an optional <see cref="UpstreamHostPolicy"/>. Network failures,
/// time-outs, oversized bodies and refused hosts become <see cref="UpstreamCallException"/>; the caller's own
/// cancellation stays an OperationCanceledException. Each request is sent once: retrying is the caller's decision.
/// Exceptions never carry the request body (it may hold a password).
/// </summary>
public sealed class UpstreamHttpClient(HttpClient http, TimeProvider time, UpstreamHostPolicy? hostPolicy = null)
{
    /// <summary>The largest answer read; an identity provider's largest (a key set, a group page) is far smaller.</summary>
    public const int MaxBodyBytes = 4 * 1024 * 1024;

    public TimeProvider Time => time;

    /// <summary>Sends <paramref name="request"/> once. <paramref name="what"/> names the call in failure details ("signing keys").</summary>
    public async Task<UpstreamResponse> SendAsync(HttpRequestMessage request, TimeSpan timeout, string what, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (hostPolicy is not null && request.RequestUri is { } url && hostPolicy(url) is { } problem)
            throw new UpstreamCallException($"{what}: {url.Host} is not an allowed upstream host ({problem}); request not sent", null, false);

        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var body = await ReadBoundedAsync(response.Content, linked.Token);
            return new UpstreamResponse((int)response.StatusCode, body, RetryAfter(response));
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

    /// <summary>
    /// Reads into a pooled buffer (a fresh chunk and stream per answer were a tenth of a login's allocations), cleared
    /// before it goes back: the answer may hold tokens.
    /// </summary>
    private static async Task<string> ReadBoundedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var length = 0;
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer.AsMemory(length), ct)) > 0)
            {
                length += read;
                if (length > MaxBodyBytes)
                    throw new UpstreamCallException($"response body larger than {MaxBodyBytes} bytes", null, false);
                if (length == buffer.Length)
                {
                    // One byte past the cap is room enough to see that an answer is too large.
                    var larger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, MaxBodyBytes + 1));
                    buffer.AsSpan(0, length).CopyTo(larger);
                    Release(buffer, length);
                    buffer = larger;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            Release(buffer, length);
        }
    }

    private static void Release(byte[] buffer, int used)
    {
        buffer.AsSpan(0, Math.Min(used, buffer.Length)).Clear();
        ArrayPool<byte>.Shared.Return(buffer);
    }

    /// <summary>RFC 9110 §10.2.3: seconds or an HTTP date; never negative.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
