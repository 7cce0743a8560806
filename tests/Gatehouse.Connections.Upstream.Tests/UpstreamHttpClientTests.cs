using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Connections.Upstream.Tests;

public sealed class UpstreamHttpClientTests
{
    private sealed class Answering(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        public int Requests { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Requests++;
            return answer(request, cancellationToken);
        }
    }

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    private static HttpRequestMessage Get() => new(HttpMethod.Get, "https://idp.test/keys");

    [Fact]
    public async Task A_body_larger_than_the_cap_is_an_outage_not_a_memory_spike()
    {
        using var handler = new Answering((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new ByteArrayContent(new byte[UpstreamHttpClient.MaxBodyBytes + 1]),
        }));
        using var http = new HttpClient(handler);
        using var request = Get();
        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => new UpstreamHttpClient(http, _time).SendAsync(request, TimeSpan.FromSeconds(10), "keys", default));
        Assert.Contains("larger than", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(16 * 1024)]
    [InlineData(16 * 1024 + 1)]
    [InlineData(300_000)]
    [InlineData(UpstreamHttpClient.MaxBodyBytes)]
    public async Task A_body_up_to_the_cap_is_read_whole_whatever_its_size(int size)
    {
        // Multi-byte characters across every read boundary: the pooled buffer must grow without losing or splitting a byte.
        var text = string.Concat(Enumerable.Repeat("aé€", size / 6 + 1))[..(size / 6 * 3)];
        var body = System.Text.Encoding.UTF8.GetBytes(text).Concat(Enumerable.Repeat((byte)'z', size)).Take(size).ToArray();
        using var handler = new Answering((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new TrickleStream(body), 1000),
        }));
        using var http = new HttpClient(handler);
        using var request = Get();
        var response = await new UpstreamHttpClient(http, _time).SendAsync(request, TimeSpan.FromSeconds(10), "keys", default);
        Assert.Equal(System.Text.Encoding.UTF8.GetString(body), response.Body);
    }

    /// <summary>Answers each read with at most 1,000 bytes, as a socket might.</summary>
    private sealed class TrickleStream(byte[] data) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, 1000)], cancellationToken);
    }

    [Fact]
    public async Task A_host_the_policy_refuses_is_never_called()
    {
        using var handler = new Answering((_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK)));
        using var http = new HttpClient(handler);
        using var request = Get();
        var client = new UpstreamHttpClient(http, _time, url => url.Host == "idp.test" ? "not on the list" : null);
        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => client.SendAsync(request, TimeSpan.FromSeconds(10), "keys", default));
        Assert.Contains("not on the list", e.Detail, StringComparison.Ordinal);
        Assert.Equal(0, handler.Requests);
    }

    [Fact]
    public async Task No_answer_within_the_time_out_is_an_outage_and_retry_after_is_read()
    {
        var arrived = new TaskCompletionSource();
        using var handler = new Answering(async (_, ct) =>
        {
            arrived.TrySetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var http = new HttpClient(handler);
        using var request = Get();
        var call = new UpstreamHttpClient(http, _time).SendAsync(request, TimeSpan.FromSeconds(3), "keys", default);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _time.Advance(TimeSpan.FromSeconds(3));
        var e = await Assert.ThrowsAsync<UpstreamCallException>(() => call.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("no answer within 3000 ms", e.Detail, StringComparison.Ordinal);

        using var throttling = new Answering((_, _) =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            response.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(42));
            return Task.FromResult(response);
        });
        using var http2 = new HttpClient(throttling);
        using var again = Get();
        var answer = await new UpstreamHttpClient(http2, _time).SendAsync(again, TimeSpan.FromSeconds(3), "keys", default);
        Assert.Equal((429, TimeSpan.FromSeconds(42)), (answer.Status, answer.RetryAfter));
    }
}
