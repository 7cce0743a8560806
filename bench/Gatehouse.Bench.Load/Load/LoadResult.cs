using HdrHistogram;

namespace Gatehouse.Bench.Load.Load;

/// <summary>What one measured phase produced. Latency is recorded in microseconds.</summary>
public sealed class LoadResult(LongConcurrentHistogram latency, long ok, long errors, TimeSpan elapsed, IReadOnlyDictionary<string, long> errorKinds)
{
    public long Ok { get; } = ok;
    public long Errors { get; } = errors;
    public TimeSpan Elapsed { get; } = elapsed;
    public IReadOnlyDictionary<string, long> ErrorKinds { get; } = errorKinds;

    /// <summary>When the measured phase began (second 0 of <see cref="Seconds"/>), to line server events up with it.</summary>
    public DateTimeOffset StartedUtc { get; init; }

    /// <summary>Latency over time, a slice per second of the phase by planned start.</summary>
    public IReadOnlyList<SecondSlice> Seconds { get; init; } = [];

    public double PerSecond => Elapsed.TotalSeconds > 0 ? Ok / Elapsed.TotalSeconds : 0;

    public double PercentileMs(double percentile) => latency.TotalCount == 0 ? double.NaN : latency.GetValueAtPercentile(percentile) / 1000.0;

    public double MaxMs => latency.TotalCount == 0 ? double.NaN : latency.GetMaxValue() / 1000.0;

    public string TopError => ErrorKinds.Count == 0 ? "" : ErrorKinds.MaxBy(e => e.Value).Key;
}
