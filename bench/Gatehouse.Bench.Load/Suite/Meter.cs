using Gatehouse.Bench.Load.Load;
using Gatehouse.Bench.Load.Measure;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>Drives one scenario against one server and turns the load result and the /proc readings into a row.</summary>
public sealed class Meter(List<Measurement> rows, TextWriter progress)
{
    /// <param name="timeline">also record what the server did second by second (<see cref="ServerTimeline"/>)</param>
    public async Task<Measurement> RunAsync(string section, string system, string scenario, Uri target, Operation operation, LoadPlan plan,
        ProcessMeter? server, ProcessMeter? upstream = null, string? note = null, bool timeline = false)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await progress.WriteLineAsync($"  {section} / {system} / {scenario}: {plan.Describe()}");
        using var http = BenchHttp.Create(target, plan.Concurrency);
        await using var events = timeline && server is not null ? ServerTimeline.Start(server.Pid) : null;
        var result = await LoadGenerator.RunAsync(http, operation, plan, () =>
        {
            server?.Start();
            upstream?.Start();
            events?.MarkOrigin(DateTimeOffset.UtcNow);
        });
        double? PerOp(ProcessMeter? m) => m is null || result.Ok == 0 ? null : m.CpuSecondsSinceStart / result.Ok;
        var cpu = PerOp(server);
        var serverSeconds = events is null ? null : await events.StopAsync();
        var row = new Measurement(section, system, scenario, plan, result, cpu, server?.PeakRssMiB(), PerOp(upstream), note)
        {
            ServerSeconds = serverSeconds,
        };
        rows.Add(row);
        await progress.WriteLineAsync(FormattableString.Invariant(
            $"    {result.PerSecond:F0}/s p50 {result.PercentileMs(50):F1} ms p99 {result.PercentileMs(99):F1} ms errors {result.Errors} cpu/op {row.ServerCpuSecondsPerOp * 1000:F3} ms {result.TopError}"));
        return row;
    }
}
