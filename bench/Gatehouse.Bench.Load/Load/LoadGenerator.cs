using System.Collections.Concurrent;
using System.Diagnostics;
using HdrHistogram;

namespace Gatehouse.Bench.Load.Load;

/// <summary>Runs a <see cref="LoadPlan"/>: warm-up (not recorded), then the measured phase, bounded in time and count.</summary>
public static class LoadGenerator
{
    /// <summary>Latencies up to one minute in microseconds, three significant digits.</summary>
    private const long HighestMicros = 60_000_000;

    /// <param name="onMeasuredStart">Runs between warm-up and the measured phase (the CPU and memory meters start there).</param>
    public static async Task<LoadResult> RunAsync(HttpClient http, Operation operation, LoadPlan plan, Action? onMeasuredStart = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        if (plan.WarmUp > TimeSpan.Zero)
            await PhaseAsync(http, operation, plan with { Duration = plan.WarmUp, MaxRequests = long.MaxValue });
        onMeasuredStart?.Invoke();
        return await PhaseAsync(http, operation, plan);
    }

    private static Task<LoadResult> PhaseAsync(HttpClient http, Operation operation, LoadPlan plan) =>
        plan.RatePerSecond is { } rate ? FixedRateAsync(http, operation, plan, rate) : FixedConcurrencyAsync(http, operation, plan);

    private static async Task<LoadResult> FixedConcurrencyAsync(HttpClient http, Operation operation, LoadPlan plan)
    {
        var tally = new Tally(Stopwatch.GetTimestamp());
        long issued = 0;
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource(plan.Duration + TimeSpan.FromSeconds(30)); // a hung server cannot hold the run
        var workers = Enumerable.Range(0, plan.Concurrency).Select(_ => Task.Run(async () =>
        {
            while (clock.Elapsed < plan.Duration && Interlocked.Increment(ref issued) <= plan.MaxRequests && !stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                await tally.RecordAsync(operation, http, start, stop.Token);
            }
        }));
        await Task.WhenAll(workers);
        return tally.Result(clock.Elapsed);
    }

    private static async Task<LoadResult> FixedRateAsync(HttpClient http, Operation operation, LoadPlan plan, double rate)
    {
        var origin = Stopwatch.GetTimestamp();
        var tally = new Tally(origin);
        using var inFlight = new SemaphoreSlim(plan.Concurrency);
        using var stop = new CancellationTokenSource(plan.Duration + TimeSpan.FromSeconds(30));
        var running = new List<Task>();
        long issued = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < plan.Duration && issued < plan.MaxRequests)
        {
            var due = Math.Min((long)(clock.Elapsed.TotalSeconds * rate) + 1, plan.MaxRequests);
            for (; issued < due; issued++)
            {
                // The planned start of request i, so time spent waiting for a free slot counts as latency.
                var planned = origin + (long)(issued / rate * Stopwatch.Frequency);
                await inFlight.WaitAsync(stop.Token);
                running.Add(Task.Run(async () =>
                {
                    try
                    {
                        await tally.RecordAsync(operation, http, planned, stop.Token);
                    }
                    finally
                    {
                        inFlight.Release();
                    }
                }));
            }
            tally.Slices.SampleLoadGeneratorPauses(Stopwatch.GetTimestamp());
            await Task.Delay(1);
        }
        await Task.WhenAll(running);
        return tally.Result(clock.Elapsed);
    }

    private sealed class Tally(long origin)
    {
        private readonly LongConcurrentHistogram _latency = new(1, HighestMicros, 3);
        public SecondSlices Slices { get; } = new(origin, HighestMicros);
        public DateTimeOffset StartedUtc { get; } = DateTimeOffset.UtcNow - Stopwatch.GetElapsedTime(origin);
        private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
        private long _ok;
        private long _failed;

        public async Task RecordAsync(Operation operation, HttpClient http, long start, CancellationToken ct)
        {
            string? error;
            try
            {
                error = await operation(http, ct);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException or OperationCanceledException)
            {
                error = e.GetType().Name;
            }
            var micros = Math.Clamp(Stopwatch.GetElapsedTime(start).Ticks / 10, 1, HighestMicros);
            _latency.RecordValue(micros);
            Slices.Record(start, micros);
            if (error is null)
            {
                Interlocked.Increment(ref _ok);
            }
            else
            {
                Interlocked.Increment(ref _failed);
                _errors.AddOrUpdate(error, 1, (_, n) => n + 1);
            }
        }

        public LoadResult Result(TimeSpan elapsed) =>
            new(_latency, Interlocked.Read(ref _ok), Interlocked.Read(ref _failed), elapsed, new Dictionary<string, long>(_errors))
            {
                StartedUtc = StartedUtc,
                Seconds = Slices.Slices(),
            };
    }
}
