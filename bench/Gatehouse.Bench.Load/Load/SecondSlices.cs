using HdrHistogram;

namespace Gatehouse.Bench.Load.Load;

/// <summary>One second of a measured phase: the requests planned in it and their latencies.</summary>
public sealed record SecondSlice(int Second, long Requests, double P50Ms, double P99Ms, double MaxMs, double LoadGeneratorGcPauseMs);

/// <summary>
/// Latency over time: a histogram per second of the phase, by each request's planned start (the same clock the phase
/// histogram uses), so a stall shows as the seconds whose requests waited, not only as a percentile. The load
/// generator's own GC pause time per second is kept beside it: a pause here delays sending and counts as latency.
/// </summary>
internal sealed class SecondSlices(long origin, long highestMicros)
{
    /// <summary>Phases are bounded (measured seconds + 30 s of grace); later requests land in the last slice.</summary>
    private const int MaxSeconds = 600;

    private readonly LongConcurrentHistogram?[] _seconds = new LongConcurrentHistogram?[MaxSeconds];
    private readonly double[] _gcPauseMs = new double[MaxSeconds];
    private TimeSpan _lastPause = GC.GetTotalPauseDuration();
    private int _lastSampled = -1;

    public void Record(long plannedStart, long micros)
    {
        var second = SecondOf(plannedStart);
        var histogram = Volatile.Read(ref _seconds[second]);
        if (histogram is null)
        {
            Interlocked.CompareExchange(ref _seconds[second], new LongConcurrentHistogram(1, highestMicros, 2), null);
            histogram = _seconds[second]!;
        }
        histogram.RecordValue(micros);
    }

    /// <summary>Called by the phase's pacing loop: books the GC pause time since the last call to the current second.</summary>
    public void SampleLoadGeneratorPauses(long now)
    {
        var second = SecondOf(now);
        var pause = GC.GetTotalPauseDuration();
        if (second == _lastSampled && pause == _lastPause)
            return;
        _gcPauseMs[second] += (pause - _lastPause).TotalMilliseconds;
        _lastPause = pause;
        _lastSampled = second;
    }

    public IReadOnlyList<SecondSlice> Slices()
    {
        var slices = new List<SecondSlice>();
        for (var s = 0; s < MaxSeconds; s++)
        {
            if (_seconds[s] is not { TotalCount: > 0 } h)
                continue;
            slices.Add(new SecondSlice(s, h.TotalCount, h.GetValueAtPercentile(50) / 1000.0, h.GetValueAtPercentile(99) / 1000.0,
                h.GetMaxValue() / 1000.0, _gcPauseMs[s]));
        }
        return slices;
    }

    private int SecondOf(long timestamp) =>
        (int)Math.Clamp((timestamp - origin) / System.Diagnostics.Stopwatch.Frequency, 0, MaxSeconds - 1);
}
