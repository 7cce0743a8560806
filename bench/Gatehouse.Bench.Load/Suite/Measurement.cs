using Gatehouse.Bench.Load.Load;
using Gatehouse.Bench.Load.Measure;

namespace Gatehouse.Bench.Load.Suite;

/// <summary>One measured row of the results: what ran, how it was driven, what it did, what it cost the server.</summary>
public sealed record Measurement(
    string Section,
    string System,
    string Scenario,
    LoadPlan Plan,
    LoadResult Result,
    double? ServerCpuSecondsPerOp,
    double? PeakRssMiB,
    double? UpstreamCpuSecondsPerOp,
    string? Note = null)
{
    /// <summary>What the server did second by second, for the rows measured with a timeline.</summary>
    public IReadOnlyList<ServerSecond>? ServerSeconds { get; init; }

    public double? OpsPerCpuSecond => ServerCpuSecondsPerOp is > 0 and { } c ? 1 / c : null;
}
