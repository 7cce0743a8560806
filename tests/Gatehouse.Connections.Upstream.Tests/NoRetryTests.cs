using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Connections.Upstream.Tests;

/// <summary>
/// A retried Resource Owner Password POST would count twice against the account's lockout: whatever the upstream
/// answers, the toolkit sends such a request exactly once (counted at a real listener), and an open circuit none.
/// </summary>
public sealed class NoRetryTests : IDisposable
{
    private readonly LoopbackUpstream _upstream = new();
    private readonly HttpClient _http = new(UpstreamHandler.Create([])) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly UpstreamCircuits _circuits;
    private readonly UpstreamHttpClient _client;

    public NoRetryTests()
    {
        _circuits = new UpstreamCircuits(new UpstreamCircuitOptions { FailureThreshold = 3 }, _time);
        _client = new UpstreamHttpClient(_http, _time);
    }

    public void Dispose()
    {
        _circuits.Dispose();
        _http.Dispose();
        _upstream.Dispose();
    }

    /// <summary>One password grant, as a strategy sends it: a 5xx or 429 answer is an outage for the circuit.</summary>
    private async ValueTask<int> PasswordGrant(CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_upstream.BaseUrl, "tenant/token"))
        {
            Content = new FormUrlEncodedContent([new("grant_type", "password"), new("username", "u"), new("password", "p")]),
        };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await _client.SendAsync(request, TimeSpan.FromSeconds(10), "token", ct);
        return UpstreamResponse.IsTransient(response.Status)
            ? throw new UpstreamCallException($"token: http={response.Status}", response.RetryAfter, response.RetryAfter is not null)
            : response.Status;
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(400)]
    public async Task A_password_post_is_sent_once_whatever_the_answer(int status)
    {
        _upstream.Status = status;
        var circuit = _circuits.For(_upstream.BaseUrl.AbsoluteUri);
        try
        {
            await circuit.ExecuteAsync(static (self, ct) => self.PasswordGrant(ct), this, default);
        }
        catch (UpstreamCallException)
        {
            // an outage: what matters is how often the password travelled
        }

        Assert.Equal(1, _upstream.Requests);
    }

    [Fact]
    public async Task An_open_circuit_sends_no_password_at_all()
    {
        var circuit = _circuits.For(_upstream.BaseUrl.AbsoluteUri);
        for (var i = 0; i < 6; i++)
            await Assert.ThrowsAsync<UpstreamCallException>(async () => await circuit.ExecuteAsync(static (self, ct) => self.PasswordGrant(ct), this, default));
        Assert.Equal(3, _upstream.Requests); // the threshold's three, then fail-fast
    }
}
