using System.Collections.Concurrent;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;

namespace Gatehouse.Connections.Upstream;

/// <summary>How an authority's circuit opens and for how long.</summary>
public sealed record UpstreamCircuitOptions
{
    /// <summary>The longest an upstream's own Retry-After is honoured; a longer one is cut to this.</summary>
    public static readonly TimeSpan MaxUpstreamRetryAfter = TimeSpan.FromMinutes(10);

    /// <summary>Calls that must all have failed within <see cref="SamplingDuration"/> to open the circuit (at least 2).</summary>
    public int FailureThreshold { get; init; } = 5;

    /// <summary>How long an open circuit fails fast before one trial call is let through (at least 0.5 s).</summary>
    public TimeSpan BreakDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The window in which failures are counted; any answer inside it keeps the circuit closed.</summary>
    public TimeSpan SamplingDuration { get; init; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// One circuit per upstream authority (an issuer base URL such as <c>https://login.example/tenant</c>): one
/// authority's outage never opens another's. Each circuit is a Polly circuit breaker, built once on first use and
/// cached here (never per request), plus the upstream's own Retry-After. Dispose with the strategy that owns it.
/// </summary>
/// <remarks>
/// There is deliberately no retry strategy in these pipelines, and a strategy must never add one around a call that
/// carries a user's password: a retried Resource Owner Password POST is a second sign-in attempt that can count again
/// against the account's lockout (Microsoft Entra smart lockout,
/// https://learn.microsoft.com/entra/identity/authentication/howto-password-smart-lockout). Microsoft's standard HTTP
/// resilience handler retries every method, POST included, unless told otherwise
/// (https://learn.microsoft.com/dotnet/core/resilience/http-resilience, "Disable retries for a given list of HTTP
/// methods"); authorization codes are single use (RFC 6749 §4.1.2), so their POSTs must not be retried either. The one
/// resend that a strategy may do on purpose (Azure AD's client-authentication rule, answered before the user is looked
/// at) is the strategy's own decision, in its own code.
/// </remarks>
public sealed class UpstreamCircuits(UpstreamCircuitOptions options, TimeProvider time) : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _pipelines = new();
    private readonly ConcurrentDictionary<string, UpstreamCircuit> _circuits = new(StringComparer.Ordinal);
    private readonly Lock _create = new();

    /// <summary>The circuit of <paramref name="authority"/>; the same instance for the same authority, built once.</summary>
    public UpstreamCircuit For(string authority)
    {
        ArgumentNullException.ThrowIfNull(authority);
        if (_circuits.TryGetValue(authority, out var circuit))
            return circuit;
        // Creation is rare (once per authority) and must run once: the pipeline's callbacks point at this circuit.
        lock (_create)
            return _circuits.GetOrAdd(authority, key => new UpstreamCircuit(key, options, time, _pipelines));
    }

    public void Dispose() => _pipelines.Dispose();
}

/// <summary>
/// The circuit of one authority. After <see cref="UpstreamCircuitOptions.FailureThreshold"/> calls in a row fail
/// with <see cref="UpstreamCallException"/>, calls fail fast for <see cref="UpstreamCircuitOptions.BreakDuration"/>;
/// then one trial call goes through (half-open): its success closes the circuit, its failure reopens it. Only an
/// <see cref="UpstreamCallException"/> is a failure; any other outcome counts as success (the upstream is up), so a
/// strategy returns its refusals as values. A caller's cancellation is never a failure (Polly 8.4 counts it as a
/// success: a cancelled trial closes the circuit, and failures that follow reopen it). An upstream Retry-After
/// (429/503) holds every call for that long at once.
/// </summary>
public sealed class UpstreamCircuit
{
    /// <summary>The answer while a trial call is in flight: it decides within one upstream time-out.</summary>
    private static readonly TimeSpan TrialInFlightWait = TimeSpan.FromSeconds(1);

    private readonly TimeProvider _time;
    private readonly ResiliencePipeline _pipeline;
    private long _openUntilTicks;
    private long _heldUntilTicks;

    internal UpstreamCircuit(string authority, UpstreamCircuitOptions options, TimeProvider time, ResiliencePipelineRegistry<string> registry)
    {
        Authority = authority;
        _time = time;
        _pipeline = registry.GetOrAddPipeline(authority, builder =>
        {
            builder.TimeProvider = time;
            builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // All of at least FailureThreshold calls failed: "N failures in a row" within the sampling window.
                FailureRatio = 1.0,
                MinimumThroughput = Math.Max(2, options.FailureThreshold),
                SamplingDuration = Clamp(options.SamplingDuration),
                BreakDuration = Clamp(options.BreakDuration),
                ShouldHandle = new PredicateBuilder().Handle<UpstreamCallException>(),
                OnOpened = args =>
                {
                    Volatile.Write(ref _openUntilTicks, (_time.GetUtcNow() + args.BreakDuration).UtcTicks);
                    return ValueTask.CompletedTask;
                },
            });
        });
    }

    public string Authority { get; }

    /// <summary>True while calls fail fast (open circuit or an upstream Retry-After). For diagnostics and tests.</summary>
    public bool IsOpen => FailFastFor() is not null;

    /// <summary>
    /// Runs <paramref name="call"/> through the circuit. Throws <see cref="UpstreamCallException"/> without calling when
    /// the circuit is open ("circuit open after repeated upstream failures; request not sent", with the wait).
    /// </summary>
    public async ValueTask<TResult> ExecuteAsync<TResult, TState>(
        Func<TState, CancellationToken, ValueTask<TResult>> call, TState state, CancellationToken ct)
    {
        if (Held() is { } held)
            throw Open(held);
        try
        {
            return await _pipeline.ExecuteAsync(call, state, ct);
        }
        catch (BrokenCircuitException)
        {
            throw Open(FailFastFor() ?? TrialInFlightWait);
        }
        catch (UpstreamCallException e) when (e.UpstreamSaidRetryAfter && e.RetryAfter is { } wait && wait > TimeSpan.Zero)
        {
            Hold(wait);
            throw;
        }
    }

    private static UpstreamCallException Open(TimeSpan wait) =>
        new("circuit open after repeated upstream failures; request not sent", wait, false);

    private TimeSpan? FailFastFor()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var until = Math.Max(Volatile.Read(ref _openUntilTicks), Volatile.Read(ref _heldUntilTicks));
        return now < until ? TimeSpan.FromTicks(until - now) : null;
    }

    private TimeSpan? Held()
    {
        var until = Volatile.Read(ref _heldUntilTicks);
        if (until == 0)
            return null;
        var now = _time.GetUtcNow().UtcTicks;
        if (now >= until)
            return null;
        // An open circuit that ends later than the upstream's wait names its own, longer wait.
        return TimeSpan.FromTicks(Math.Max(until, Volatile.Read(ref _openUntilTicks)) - now);
    }

    private void Hold(TimeSpan wait)
    {
        var capped = wait > UpstreamCircuitOptions.MaxUpstreamRetryAfter ? UpstreamCircuitOptions.MaxUpstreamRetryAfter : wait;
        var until = (_time.GetUtcNow() + capped).UtcTicks;
        var current = Volatile.Read(ref _heldUntilTicks);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref _heldUntilTicks, until, current);
            if (seen == current)
                return;
            current = seen;
        }
    }

    /// <summary>Polly's bounds: at least 0.5 s, at most one day.</summary>
    private static TimeSpan Clamp(TimeSpan value) =>
        value < TimeSpan.FromMilliseconds(500) ? TimeSpan.FromMilliseconds(500) : value > TimeSpan.FromDays(1) ? TimeSpan.FromDays(1) : value;
}
