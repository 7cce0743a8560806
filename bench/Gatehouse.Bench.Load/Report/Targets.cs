using System.Globalization;
using Gatehouse.Bench.Load.Suite;

namespace Gatehouse.Bench.Load.Report;

/// <summary>One target of issue 8: what was asked, what was measured, met or not, and by how much.</summary>
public sealed record TargetVerdict(string Target, string Measured, bool? Met, string Margin);

/// <summary>Judges the targets from the rows of one run.</summary>
public static class Targets
{
    public static IReadOnlyList<TargetVerdict> Judge(SuiteResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = results.Rows;
        var floorLogin = results.Floor.CpuSecondsPerLogin;
        var verdicts = new List<TargetVerdict>();
        var gh = Find(rows, SuiteRunner.Main, SuiteRunner.Gatehouse, SuiteRunner.PeakScenario);
        var peer = Find(rows, SuiteRunner.Main, SuiteRunner.Peer, SuiteRunner.PeakScenario);

        if (gh?.ServerCpuSecondsPerOp is { } ghCpu)
        {
            var ratio = ghCpu / floorLogin;
            verdicts.Add(new("federated login CPU ≤ 1.5× the two-signature floor",
                F($"{ghCpu * 1000:F3} ms vs floor {floorLogin * 1000:F3} ms = {ratio:F2}×"), ratio <= 1.5,
                ratio <= 1.5 ? F($"{(1.5 - ratio) / 1.5:P0} under") : F($"{ratio / 1.5:F2}× over the target ({(ghCpu - 1.5 * floorLogin) * 1000:F3} ms/login too much)")));
        }
        if (gh?.ServerCpuSecondsPerOp is { } a && peer?.ServerCpuSecondsPerOp is { } b)
        {
            var ratio = b / a; // logins per CPU-second: Gatehouse ÷ peer
            verdicts.Add(new("≥ 1.2× the OpenIddict peer's logins per CPU-second",
                F($"Gatehouse {1 / a:F0} vs peer {1 / b:F0} logins/CPU-s = {ratio:F2}×"), ratio >= 1.2,
                ratio >= 1.2 ? F($"{ratio / 1.2 - 1:P0} above") : F($"{1 - ratio / 1.2:P0} short")));
        }
        if (Find(rows, SuiteRunner.Main, SuiteRunner.Gatehouse, SuiteRunner.HalfScenario) is { } half)
        {
            var p99 = half.Result.PercentileMs(99);
            verdicts.Add(new("p99 < 10 ms at half of peak, instant upstream",
                F($"p99 {p99:F1} ms at {half.Plan.RatePerSecond:F0}/s"), p99 < 10 && half.Result.Errors == 0,
                p99 < 10 ? F($"{10 - p99:F1} ms to spare") : F($"{p99 - 10:F1} ms over")));
            if (half.Result.Seconds.Count > 0)
            {
                var stalls = TimelineReport.Stalls(half);
                var worst = half.Result.Seconds.MaxBy(s => s.P99Ms)!;
                var p50 = half.Result.PercentileMs(50);
                verdicts.Add(new($"no second at half of peak whose p99 exceeds {TimelineReport.StallFactor}× the run's p50",
                    F($"worst second {worst.Second}: p99 {worst.P99Ms:F1} ms vs run p50 {p50:F2} ms = {worst.P99Ms / p50:F1}×"), stalls.Count == 0,
                    stalls.Count == 0 ? "no stall" : F($"{stalls.Count} of {half.Result.Seconds.Count} seconds")));
            }
            if (half.ServerCpuSecondsPerOp is { } halfCpu && gh?.ServerCpuSecondsPerOp is { } peakCpu)
            {
                var ratio = halfCpu / peakCpu;
                verdicts.Add(new("CPU per login at half of peak within 10% of peak",
                    F($"{halfCpu * 1000:F3} ms vs {peakCpu * 1000:F3} ms = {ratio:F2}×"), ratio <= 1.1,
                    ratio <= 1.1 ? F($"{(1.1 - ratio) * 100:F0} points to spare") : F($"{(ratio - 1.1) * 100:F0} points over")));
            }
        }
        if (rows.FirstOrDefault(r => r.Section == SuiteRunner.Latency && r.System == SuiteRunner.Gatehouse) is { } slow && gh is not null)
        {
            var latencyBound = slow.Plan.Concurrency / (results.Options.UpstreamLatencyMs / 1000.0);
            var cpuBound = gh.Result.PerSecond;
            var bound = Math.Min(latencyBound, cpuBound);
            var got = slow.Result.PerSecond;
            var ok = slow.Result.Errors == 0 && got >= 0.9 * bound && (slow.PeakRssMiB ?? 0) < 500;
            verdicts.Add(new($"{slow.Plan.Concurrency} concurrent at {results.Options.UpstreamLatencyMs} ms upstream: no errors, ≥ 90% of min(concurrency÷latency, CPU bound), peak RSS < 500 MB",
                F($"{got:F0}/s vs bound {bound:F0}/s (concurrency÷latency {latencyBound:F0}, CPU bound = instant peak {cpuBound:F0}); errors {slow.Result.Errors}; peak RSS {slow.PeakRssMiB:F0} MiB"),
                ok, F($"{got / bound:P0} of the bound")));
        }
        foreach (var store in new[] { "SQLite", "PostgreSQL" })
        {
            var small = rows.FirstOrDefault(r => r.Section == SuiteRunner.Growth && r.System == store && r.Scenario == "1,000 users");
            var big = rows.Where(r => r.Section == SuiteRunner.Growth && r.System == store && r.Scenario.EndsWith(" users", StringComparison.Ordinal))
                .MaxBy(r => UsersOf(r.Scenario));
            if (small is null || big is null || big == small)
                continue;
            var ratio = big.Result.PerSecond / small.Result.PerSecond;
            var isMillion = UsersOf(big.Scenario) >= 1_000_000;
            verdicts.Add(new($"{store}: 1 million users within 15% of the 1 thousand figure",
                F($"{big.Scenario}: {big.Result.PerSecond:F0}/s vs {small.Result.PerSecond:F0}/s = {ratio:P0}"),
                isMillion ? ratio >= 0.85 : null,
                isMillion ? (ratio >= 0.85 ? "within" : F($"{0.85 - ratio:P0} below the 85% line")) : "not judged: the run did not reach 1 million users"));
        }
        return verdicts;
    }

    public static int UsersOf(string scenario) =>
        int.TryParse(scenario.Split(' ')[0].Replace(",", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static Measurement? Find(IReadOnlyList<Measurement> rows, string section, string system, string scenario) =>
        rows.FirstOrDefault(r => r.Section == section && r.System == system && r.Scenario == scenario);

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
