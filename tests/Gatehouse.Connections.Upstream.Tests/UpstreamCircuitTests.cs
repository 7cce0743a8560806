using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Connections.Upstream.Tests;

public sealed class UpstreamCircuitTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly UpstreamCircuits _circuits;
    private int _calls;

    public UpstreamCircuitTests() =>
        _circuits = new UpstreamCircuits(new UpstreamCircuitOptions { FailureThreshold = 3, BreakDuration = TimeSpan.FromSeconds(30) }, _time);

    public void Dispose() => _circuits.Dispose();

    private ValueTask<string> Run(UpstreamCircuit circuit, Func<string> answer) =>
        circuit.ExecuteAsync(static (s, _) =>
        {
            Interlocked.Increment(ref s.Self._calls);
            return ValueTask.FromResult(s.Answer());
        }, (Self: this, Answer: answer), default);

    private static string Down() => throw new UpstreamCallException("down", null, false);

    private async Task Fail(UpstreamCircuit circuit, int times)
    {
        for (var i = 0; i < times; i++)
            await Assert.ThrowsAsync<UpstreamCallException>(async () => await Run(circuit, Down));
    }

    [Fact]
    public async Task The_threshold_of_failures_opens_the_circuit_and_calls_then_fail_fast_with_the_wait()
    {
        var circuit = _circuits.For("https://idp.test/a");
        await Fail(circuit, 3);
        var calls = _calls;

        var e = await Assert.ThrowsAsync<UpstreamCallException>(async () => await Run(circuit, () => "ok"));
        Assert.Equal(calls, _calls);
        Assert.Contains("circuit open", e.Detail, StringComparison.Ordinal);
        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter);
        Assert.True(circuit.IsOpen);

        _time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal("ok", await Run(circuit, () => "ok")); // the trial closes it
        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public async Task One_authoritys_outage_never_opens_anothers_circuit()
    {
        var broken = _circuits.For("https://idp.test/a");
        var healthy = _circuits.For("https://idp.test/b");
        await Fail(broken, 10);

        Assert.True(broken.IsOpen);
        Assert.False(healthy.IsOpen);
        Assert.Equal("ok", await Run(healthy, () => "ok"));
    }

    [Fact]
    public void An_authoritys_circuit_is_built_once_and_shared()
    {
        Assert.Same(_circuits.For("https://idp.test/a"), _circuits.For("https://idp.test/a"));
        Assert.NotSame(_circuits.For("https://idp.test/a"), _circuits.For("https://idp.test/A"));
    }

    [Fact]
    public async Task A_refusal_is_an_answer_and_keeps_the_circuit_closed()
    {
        var circuit = _circuits.For("https://idp.test/a");
        for (var round = 0; round < 3; round++)
        {
            await Fail(circuit, 2);
            await Assert.ThrowsAsync<InvalidOperationException>(async () => await Run(circuit, () => throw new InvalidOperationException("refused")));
        }

        Assert.False(circuit.IsOpen);
    }

    [Fact]
    public async Task An_upstream_retry_after_holds_every_call_for_that_long_capped()
    {
        var circuit = _circuits.For("https://idp.test/a");
        await Assert.ThrowsAsync<UpstreamCallException>(async () =>
            await Run(circuit, () => throw new UpstreamCallException("429", TimeSpan.FromHours(5), true)));

        var e = await Assert.ThrowsAsync<UpstreamCallException>(async () => await Run(circuit, () => "ok"));
        Assert.Equal(UpstreamCircuitOptions.MaxUpstreamRetryAfter, e.RetryAfter);
        _time.Advance(UpstreamCircuitOptions.MaxUpstreamRetryAfter);
        Assert.Equal("ok", await Run(circuit, () => "ok"));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_failure()
    {
        var circuit = _circuits.For("https://idp.test/a");
        for (var i = 0; i < 5; i++)
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Run(circuit, () => throw new OperationCanceledException()));
        Assert.False(circuit.IsOpen);
    }
}
