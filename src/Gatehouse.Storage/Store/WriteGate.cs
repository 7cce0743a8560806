using System.Diagnostics;
using Gatehouse.Storage.Diagnostics;

namespace Gatehouse.Storage.Store;

/// <summary>
/// One writer at a time on SQLite, waited for asynchronously. SQLite has a single write lock per database, and a writer
/// that finds it taken sleeps inside the engine (the busy handler backs off 1, 2, 5 … 100 ms, unfairly, on a thread-pool
/// thread). At a few hundred logins a second the login's user UPDATE and the audit group commit met there often enough
/// that some logins slept for hundreds of milliseconds (docs/benchmarks.md, "The stall"). Queued here instead, a writer
/// waits without holding a thread and enters as soon as the one before it commits. PostgreSQL locks rows, so its
/// writers never queue here.
/// </summary>
internal sealed class WriteGate
{
    private readonly SemaphoreSlim? _one;

    private WriteGate(SemaphoreSlim? one) => _one = one;

    public static WriteGate Serial() => new(new SemaphoreSlim(1, 1));

    public static WriteGate Concurrent() => new(null);

    /// <summary>Dispose the result to let the next writer in; a wait that was long is reported to <see cref="StorageEvents"/>.</summary>
    public async ValueTask<Entered> EnterAsync(CancellationToken ct)
    {
        if (_one is null)
            return default;
        if (!_one.Wait(0, CancellationToken.None)) // the common case: free, no allocation
        {
            var start = Stopwatch.GetTimestamp();
            await _one.WaitAsync(ct).ConfigureAwait(false);
            StorageEvents.Log.GateWaited(start);
        }
        return new Entered(_one);
    }

    public readonly struct Entered(SemaphoreSlim? one) : IDisposable
    {
        public void Dispose() => one?.Release();
    }
}
