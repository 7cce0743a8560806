using System.Globalization;
using System.Text;
using Gatehouse.Bench.Load.Load;
using Gatehouse.Bench.Load.Measure;
using Gatehouse.Bench.Load.Suite;

namespace Gatehouse.Bench.Load.Report;

/// <summary>
/// Latency over time for the rows measured with a timeline: per second, the client's p50/p99/max next to what the
/// server did then (GC pauses, thread-pool injections, slow store writes and write-gate waits, audit group commits),
/// so a stall and its cause stand on the same line.
/// </summary>
public static class TimelineReport
{
    /// <summary>A second whose p99 is more than this many times the whole run's p50 is a stall.</summary>
    public const double StallFactor = 3;

    public static void Write(StringBuilder md, IReadOnlyList<Measurement> rows)
    {
        ArgumentNullException.ThrowIfNull(md);
        void L(FormattableString s) => md.AppendLine(s.ToString(CultureInfo.InvariantCulture));
        foreach (var r in rows.Where(r => r.ServerSeconds is not null && r.Result.Seconds.Count > 0))
        {
            var p50 = r.Result.PercentileMs(50);
            var stalls = Stalls(r);
            md.AppendLine($"## Latency over time: {r.System}, {r.Scenario}");
            md.AppendLine();
            L($"Run p50 {p50:F2} ms; seconds whose p99 exceeds {StallFactor}× that ({StallFactor * p50:F1} ms): **{stalls.Count}** of {r.Result.Seconds.Count}{(stalls.Count == 0 ? "" : " (" + string.Join(", ", stalls.Select(s => s.Second.ToString(CultureInfo.InvariantCulture))) + ")")}.");
            md.AppendLine();
            md.AppendLine("| s | requests | p50 ms | p99 ms | max ms | GC pauses (total / max ms) | gen2 | pool threads (+starved) | slow writes (max ms) | gate waits ≥5 ms (max ms) | audit batches (events) | load-gen GC ms |");
            md.AppendLine("|---:|---:|---:|---:|---:|---|---:|---|---|---|---|---:|");
            var server = r.ServerSeconds!.ToDictionary(s => s.Second);
            foreach (var c in r.Result.Seconds)
            {
                var s = server.GetValueOrDefault(c.Second) ?? new ServerSecond(c.Second);
                var mark = c.P99Ms > StallFactor * p50 ? " **stall**" : "";
                L($"| {c.Second} | {c.Requests} | {c.P50Ms:F2} | {c.P99Ms:F2}{mark} | {c.MaxMs:F1} | {s.GcPauses} ({s.GcPauseMs:F1} / {s.GcMaxPauseMs:F1}) | {s.Gen2Collections} | {(s.Threads == 0 ? "" : s.Threads.ToString(CultureInfo.InvariantCulture))} (+{s.ThreadInjections}) | {s.SlowWrites} ({s.SlowWriteMaxMs:F1}) | {s.GateWaits} ({s.GateWaitMaxMs:F1}) | {s.LogBatches} ({s.LoggedEvents}) | {c.LoadGeneratorGcPauseMs:F1} |");
            }
            md.AppendLine();
        }
    }

    public static IReadOnlyList<SecondSlice> Stalls(Measurement r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var p50 = r.Result.PercentileMs(50);
        return [.. r.Result.Seconds.Where(s => s.P99Ms > StallFactor * p50)];
    }
}
