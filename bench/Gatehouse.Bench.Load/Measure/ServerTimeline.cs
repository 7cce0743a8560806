using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Gatehouse.Bench.Load.Measure;

/// <summary>What the server did in one second of a phase: the moments that can stall a request.</summary>
public sealed record ServerSecond(int Second)
{
    public int GcPauses { get; set; }
    public double GcPauseMs { get; set; }
    public double GcMaxPauseMs { get; set; }
    public int Gen2Collections { get; set; }
    public int ThreadInjections { get; set; }
    public int Threads { get; set; }
    public int SlowWrites { get; set; }
    public double SlowWriteMaxMs { get; set; }
    public int GateWaits { get; set; }
    public double GateWaitMaxMs { get; set; }
    public int LogBatches { get; set; }
    public long LoggedEvents { get; set; }
}

/// <summary>
/// An EventPipe session on another .NET process for one phase: the runtime's GC pauses (suspend to restart), gen2
/// collections and thread-pool injections, and Gatehouse's own storage events (<c>Gatehouse-Storage</c>: slow writes,
/// write-gate waits, audit group commits), each booked to the second of the phase it happened in. This is the
/// server side of the latency-over-time series; docs/benchmarks.md ("How to find a stall") shows the same with
/// dotnet-counters and dotnet-trace by hand.
/// </summary>
public sealed class ServerTimeline : IAsyncDisposable
{
    private const long GcKeyword = 0x1;
    private const long ThreadingKeyword = 0x10000;

    private readonly EventPipeSession _session;
    private readonly Task _reader;
    private readonly Dictionary<int, ServerSecond> _seconds = [];
    private readonly object _gate = new();
    private DateTime _originUtc;
    private DateTime? _suspendedAtUtc;

    private ServerTimeline(int pid)
    {
        var providers = new[]
        {
            new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, GcKeyword | ThreadingKeyword),
            new EventPipeProvider("Gatehouse-Storage", EventLevel.Verbose),
        };
        _session = new DiagnosticsClient(pid).StartEventPipeSession(providers, requestRundown: false);
        _reader = Task.Run(Read);
    }

    /// <summary>Starts listening; <see cref="MarkOrigin"/> says when second 0 begins.</summary>
    public static ServerTimeline Start(int pid) => new(pid);

    public void MarkOrigin(DateTimeOffset originUtc)
    {
        lock (_gate)
        {
            _originUtc = originUtc.UtcDateTime;
            _seconds.Clear();
        }
    }

    public async Task<IReadOnlyList<ServerSecond>> StopAsync()
    {
        await _session.StopAsync(CancellationToken.None);
        await _reader.WaitAsync(TimeSpan.FromSeconds(30));
        lock (_gate)
            return [.. _seconds.Values.OrderBy(s => s.Second)];
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ServerNotAvailableException or EndOfStreamException or IOException)
        {
            // the server is gone: nothing to stop
        }
        _session.Dispose();
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Clr.GCSuspendEEStart += e => _suspendedAtUtc = e.TimeStamp.ToUniversalTime();
        source.Clr.GCRestartEEStop += e =>
        {
            if (_suspendedAtUtc is not { } from)
                return;
            var pause = (e.TimeStamp.ToUniversalTime() - from).TotalMilliseconds;
            Book(from, s => { s.GcPauses++; s.GcPauseMs += pause; s.GcMaxPauseMs = Math.Max(s.GcMaxPauseMs, pause); });
            _suspendedAtUtc = null;
        };
        source.Clr.GCStart += e =>
        {
            if (e.Depth == 2)
                Book(e.TimeStamp.ToUniversalTime(), s => s.Gen2Collections++);
        };
        source.Clr.ThreadPoolWorkerThreadAdjustmentAdjustment += e =>
            Book(e.TimeStamp.ToUniversalTime(), s =>
            {
                if (e.Reason == ThreadAdjustmentReason.Starvation)
                    s.ThreadInjections++;
                s.Threads = (int)e.NewWorkerThreadCount;
            });
        source.Dynamic.AddCallbackForProviderEvent("Gatehouse-Storage", null, e =>
        {
            var at = e.TimeStamp.ToUniversalTime();
            switch (e.EventName)
            {
                case "SlowWrite":
                    var write = Payload(e, "milliseconds");
                    Book(at, s => { s.SlowWrites++; s.SlowWriteMaxMs = Math.Max(s.SlowWriteMaxMs, write); });
                    break;
                case "SlowGateWait":
                    var wait = Payload(e, "milliseconds");
                    Book(at, s => { s.GateWaits++; s.GateWaitMaxMs = Math.Max(s.GateWaitMaxMs, wait); });
                    break;
                case "LogBatch":
                    var events = (long)Payload(e, "events");
                    Book(at, s => { s.LogBatches++; s.LoggedEvents += events; });
                    break;
            }
        });
        source.Process();
    }

    /// <summary>A numeric payload field of a Gatehouse-Storage event (double or int as the EventSource wrote it).</summary>
    private static double Payload(TraceEvent e, string name) => Convert.ToDouble(e.PayloadByName(name), System.Globalization.CultureInfo.InvariantCulture);

    private void Book(DateTime atUtc, Action<ServerSecond> change)
    {
        lock (_gate)
        {
            if (_originUtc == default || atUtc < _originUtc)
                return;
            var second = (int)(atUtc - _originUtc).TotalSeconds;
            if (!_seconds.TryGetValue(second, out var s))
                _seconds[second] = s = new ServerSecond(second);
            change(s);
        }
    }
}
