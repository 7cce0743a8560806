using System.Diagnostics;
using System.Diagnostics.Tracing;

namespace Gatehouse.Storage.Diagnostics;

/// <summary>
/// The store's moments that can stall a request, as events an EventPipe session (bench/run, dotnet-trace) lines up
/// against the request timeline: a write that took long (SQLite's busy handler, a WAL checkpoint, a slow disk), a
/// writer that queued long for the write gate, and each audit group commit's size and duration. Only the slow cases
/// are sent, so a quiet store costs a timestamp per write.
/// </summary>
[EventSource(Name = "Gatehouse-Storage")]
internal sealed class StorageEvents : EventSource
{
    /// <summary>A write or a wait at least this long is reported.</summary>
    public static readonly TimeSpan SlowThreshold = TimeSpan.FromMilliseconds(5);

    public static readonly StorageEvents Log = new();

    private StorageEvents() { }

    [NonEvent]
    public void WriteTook(string what, long startTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
        if (elapsed >= SlowThreshold && IsEnabled())
            SlowWrite(what, elapsed.TotalMilliseconds);
    }

    [NonEvent]
    public void GateWaited(long startTimestamp)
    {
        var elapsed = Stopwatch.GetElapsedTime(startTimestamp);
        if (elapsed >= SlowThreshold && IsEnabled())
            SlowGateWait(elapsed.TotalMilliseconds);
    }

    [NonEvent]
    public void LogBatchWritten(int events, long startTimestamp)
    {
        if (IsEnabled(EventLevel.Verbose, EventKeywords.None))
            LogBatch(events, Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds);
    }

    [Event(1, Level = EventLevel.Informational, Message = "{0} took {1} ms")]
    public void SlowWrite(string what, double milliseconds) => WriteEvent(1, what, milliseconds);

    [Event(2, Level = EventLevel.Informational, Message = "a writer waited {0} ms for the write gate")]
    public void SlowGateWait(double milliseconds) => WriteEvent(2, milliseconds);

    [Event(3, Level = EventLevel.Verbose, Message = "audit group commit of {0} events took {1} ms")]
    public void LogBatch(int events, double milliseconds) => WriteEvent(3, events, milliseconds);
}
