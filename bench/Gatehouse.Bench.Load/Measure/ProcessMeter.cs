using System.Globalization;

namespace Gatehouse.Bench.Load.Measure;

/// <summary>
/// CPU time and peak memory of another process, read from /proc: utime+stime of /proc/&lt;pid&gt;/stat (clock ticks,
/// all threads) and VmHWM of /proc/&lt;pid&gt;/status. <see cref="Start"/> resets the peak (clear_refs 5) so each
/// scenario reports its own peak rather than the process's lifetime peak.
/// </summary>
public sealed class ProcessMeter(int pid)
{
    /// <summary>USER_HZ: 100 on every Linux that .NET runs on.</summary>
    private const double TicksPerSecond = 100.0;

    private double _cpuAtStart;

    public int Pid { get; } = pid;

    public void Start()
    {
        TryResetPeak();
        _cpuAtStart = CpuSeconds();
    }

    public double CpuSecondsSinceStart => CpuSeconds() - _cpuAtStart;

    public double CpuSeconds()
    {
        var stat = File.ReadAllText($"/proc/{Pid}/stat");
        // The command name (field 2) may hold spaces; the fields after its closing parenthesis are fixed.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
        var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
        return (utime + stime) / TicksPerSecond;
    }

    /// <summary>Peak resident set size in MiB since the last reset (VmHWM).</summary>
    public double PeakRssMiB() => StatusKiB("VmHWM:") / 1024.0;

    public double RssMiB() => StatusKiB("VmRSS:") / 1024.0;

    private long StatusKiB(string key)
    {
        foreach (var line in File.ReadLines($"/proc/{Pid}/status"))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
                return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return 0;
    }

    private void TryResetPeak()
    {
        try
        {
            File.WriteAllText($"/proc/{Pid}/clear_refs", "5");
        }
        catch (IOException)
        {
            // Not allowed here: the peak is then the process's lifetime peak (the report says which).
            PeakIsLifetime = true;
        }
        catch (UnauthorizedAccessException)
        {
            PeakIsLifetime = true;
        }
    }

    public bool PeakIsLifetime { get; private set; }
}
