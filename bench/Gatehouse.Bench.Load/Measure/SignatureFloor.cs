using System.Diagnostics;
using System.Security.Cryptography;

namespace Gatehouse.Bench.Load.Measure;

/// <summary>What the RSA-2048 floor measured: signatures/s on one thread and on all, and CPU seconds per signature.</summary>
public sealed record FloorResult(double OneCorePerSecond, double AllCoresPerSecond, int Cores, double CpuSecondsPerSignature)
{
    /// <summary>CPU per signature of each measurement this one averages (one value when measured once).</summary>
    public IReadOnlyList<double> CpuSecondsPerSignatureMeasured { get; init; } = [CpuSecondsPerSignature];

    /// <summary>
    /// The mean of measurements taken before and after the servers ran: this machine's speed drifts by tens of percent
    /// within minutes (other tenants of the host), and the ratios should use the speed of the same window.
    /// </summary>
    public static FloorResult Mean(FloorResult before, FloorResult after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return new FloorResult(
            (before.OneCorePerSecond + after.OneCorePerSecond) / 2,
            (before.AllCoresPerSecond + after.AllCoresPerSecond) / 2,
            before.Cores,
            (before.CpuSecondsPerSignature + after.CpuSecondsPerSignature) / 2)
        {
            CpuSecondsPerSignatureMeasured = [.. before.CpuSecondsPerSignatureMeasured, .. after.CpuSecondsPerSignatureMeasured],
        };
    }

    /// <summary>Every login signs an id_token and an access token.</summary>
    public double CpuSecondsPerLogin => 2 * CpuSecondsPerSignature;

    public double LoginsPerSecondAllCores => AllCoresPerSecond / 2;

    public double LoginsPerCpuSecond => 1 / CpuSecondsPerLogin;
}

/// <summary>
/// The floor: RSA-2048 PKCS#1 v1.5 SHA-256 signatures of a JWT-sized payload, the work every login must do twice.
/// CPU per signature comes from this process's CPU time, so other load on the machine does not inflate it.
/// </summary>
public static class SignatureFloor
{
    public static FloorResult Measure(TimeSpan duration)
    {
        using var rsa = RSA.Create(2048);
        var payload = new byte[420];
        RandomNumberGenerator.Fill(payload);
        Sign(rsa, payload, TimeSpan.FromMilliseconds(300)); // warm-up

        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var (one, elapsedOne) = Sign(rsa, payload, duration);
        var cpuOne = Process.GetCurrentProcess().TotalProcessorTime - cpu0;

        var cores = Environment.ProcessorCount;
        var counts = new long[cores];
        var clock = Stopwatch.StartNew();
        Parallel.For(0, cores, new ParallelOptions { MaxDegreeOfParallelism = cores }, i =>
        {
            using var own = RSA.Create();
            own.ImportParameters(rsa.ExportParameters(true));
            counts[i] = Sign(own, payload, duration).Count;
        });
        var all = counts.Sum() / clock.Elapsed.TotalSeconds;
        return new FloorResult(one / elapsedOne.TotalSeconds, all, cores, cpuOne.TotalSeconds / one);
    }

    private static (long Count, TimeSpan Elapsed) Sign(RSA rsa, byte[] payload, TimeSpan duration)
    {
        long count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < duration)
        {
            rsa.SignData(payload, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            count++;
        }
        return (count, clock.Elapsed);
    }
}
