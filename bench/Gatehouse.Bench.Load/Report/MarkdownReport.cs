using System.Globalization;
using System.Text;
using Gatehouse.Bench.Load.Suite;

namespace Gatehouse.Bench.Load.Report;

/// <summary>Writes bench/results/&lt;date-time&gt;.md: the machine, what ran, every row, and the targets' verdicts.</summary>
public static class MarkdownReport
{
    public static string Write(SuiteResults results, string chartFileName, string machine)
    {
        ArgumentNullException.ThrowIfNull(results);
        var o = results.Options;
        var f = results.Floor;
        var md = new StringBuilder();
        void L(FormattableString s) => md.AppendLine(s.ToString(CultureInfo.InvariantCulture));

        L($"# Gatehouse benchmark results, {results.Started:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine();
        L($"{(o.Quick ? "**Smoke run (`--quick`): tiny sizes and seconds-long phases; no figure here means anything.**" : "Full run.")} Produced by `bench/run` in {(results.Finished - results.Started).TotalMinutes:F1} min; how to read it: [docs/benchmarks.md](../../docs/benchmarks.md).");
        md.AppendLine();
        L($"- Machine: {machine}");
        if (!string.IsNullOrEmpty(o.Note))
            L($"- Note: {o.Note}");
        if (Hosts.GatehouseHost.ServerOnlyEnvironment() is { Count: > 0 } serverEnv)
            L($"- Gatehouse server's own environment (BENCH_SERVER_*): {string.Join(", ", serverEnv.Select(e => $"`{e.Key}={e.Value}`"))}");
        L($"- Load: {o.Concurrency} concurrent (closed loop) for peaks, {o.WarmUp.TotalSeconds:F1} s warm-up (not recorded; {o.ProcessWarmUp.TotalSeconds:F0} s before the first measurement of each server process, so tiered JIT is done) then {o.Duration.TotalSeconds:F1} s measured; growth runs {o.GrowthDuration.TotalSeconds:F1} s. HTTP/1.1 keep-alive over loopback; the load generator runs on the same cores.");
        L($"- CPU per login is the server process's utime+stime from /proc/<pid>/stat over the measured phase ÷ successful logins; peak RSS is VmHWM, reset at the start of each phase.");
        L($"- Growth sizes run: users {string.Join(", ", o.GrowthUsers.Select(u => u.ToString("N0", CultureInfo.InvariantCulture)))}; connections {string.Join(", ", o.GrowthConnections)}; groups {string.Join(", ", o.GrowthGroups)}; PostgreSQL {(o.PostgresConnectionString is null ? "not run (no server given)" : "yes")}{(o.SkipGrowth ? " (growth skipped)" : "")}.");
        foreach (var note in results.Notes)
            L($"- {note}");
        md.AppendLine();

        md.AppendLine("## Targets");
        md.AppendLine();
        md.AppendLine("| target | measured | verdict | margin |");
        md.AppendLine("|---|---|---|---|");
        foreach (var t in Targets.Judge(results))
            L($"| {t.Target} | {t.Measured} | {(t.Met is null ? "not judged" : t.Met.Value ? "**met**" : "**missed**")} | {t.Margin} |");
        md.AppendLine();

        md.AppendLine("## The floor: RSA-2048 PKCS#1 SHA-256 signatures");
        md.AppendLine();
        md.AppendLine("| measure | value |");
        md.AppendLine("|---|---|");
        L($"| signatures/s, one thread | {f.OneCorePerSecond:F0} |");
        L($"| signatures/s, {f.Cores} threads (all cores, shared machine) | {f.AllCoresPerSecond:F0} |");
        L($"| CPU per signature (the mean of the measurements before and after the federated comparison: {string.Join(", ", f.CpuSecondsPerSignatureMeasured.Select(c => (c * 1000).ToString("F3", CultureInfo.InvariantCulture)))} ms) | {f.CpuSecondsPerSignature * 1000:F3} ms |");
        L($"| floor CPU per login (two signatures) | {f.CpuSecondsPerLogin * 1000:F3} ms = {f.LoginsPerCpuSecond:F0} logins per CPU-second |");
        L($"| signature-bound logins/s on all cores | {f.LoginsPerSecondAllCores:F0} |");
        md.AppendLine();
        md.AppendLine($"![throughput and latency]({chartFileName})");
        md.AppendLine();

        foreach (var section in results.Rows.Select(r => r.Section).Distinct())
        {
            md.AppendLine("## " + section);
            md.AppendLine();
            md.AppendLine("| system | scenario | load | ops/s | p50 ms | p95 ms | p99 ms | max ms | server CPU ms/op | ops per CPU-s | × floor | upstream CPU ms/op | peak RSS MiB | errors |");
            md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var r in results.Rows.Where(r => r.Section == section))
            {
                var x = r.Result;
                var cpu = r.ServerCpuSecondsPerOp;
                var errors = x.Errors == 0 ? "0" : $"{x.Errors} ({x.TopError})";
                L($"| {r.System} | {r.Scenario}{(r.Note is null ? "" : " — " + r.Note)} | {r.Plan.Describe()} | {x.PerSecond:F0} | {x.PercentileMs(50):F2} | {x.PercentileMs(95):F2} | {x.PercentileMs(99):F2} | {x.MaxMs:F1} | {Ms(cpu)} | {(cpu is > 0 ? (1 / cpu.Value).ToString("F0", CultureInfo.InvariantCulture) : "")} | {(cpu is > 0 && IsLogin(r) ? (cpu.Value / f.CpuSecondsPerLogin).ToString("F2", CultureInfo.InvariantCulture) + "×" : "")} | {Ms(r.UpstreamCpuSecondsPerOp)} | {r.PeakRssMiB:F0} | {errors.Replace("|", "/", StringComparison.Ordinal)} |");
            }
            md.AppendLine();
        }
        TimelineReport.Write(md, results.Rows);
        return md.ToString();
    }

    /// <summary>"× floor" only means something for rows that sign two tokens.</summary>
    private static bool IsLogin(Measurement r) =>
        r.Section is SuiteRunner.Main or SuiteRunner.Latency or SuiteRunner.Growth && r.System != SuiteRunner.Upstream;

    private static string Ms(double? seconds) => seconds is { } s ? (s * 1000).ToString("F3", CultureInfo.InvariantCulture) : "";
}
