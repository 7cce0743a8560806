using System.Collections.Concurrent;
using System.Diagnostics;
using Gatehouse.Storage.Diagnostics;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

/// <summary>
/// Group commit for audit events. Every login appends one, and alone each costs a pooled context, a connection and a
/// transaction of its own. Here one writer takes every event waiting and inserts them in one SaveChanges; events that
/// arrive meanwhile go in the next batch, so a lone event is written at once and a busy node writes in batches.
/// The writer is the caller that finds none at work (leader/follower): it writes on its own thread until its own event is
/// committed, then hands what is still waiting to a background drain. A lone event thus costs no thread hop (a
/// dedicated writer woke a sleeping thread twice per login at half load); followers wait for the batch that holds theirs.
/// Each caller still waits until its own event is committed: an acknowledged event is never lost when the node dies.
/// A batch that fails is retried event by event, so one bad event fails only its own caller.
/// </summary>
internal sealed class LogGroupCommit<TContext> : IAsyncDisposable, IDisposable where TContext : GatehouseDbContext
{
    /// <summary>Enough to absorb a burst; a bigger batch only makes its first caller wait longer.</summary>
    private const int MaxBatch = 128;

    private readonly IDbContextFactory<TContext> _factory;
    private readonly WriteGate _writes;
    private readonly Func<TContext, string, CancellationToken, Task> _save;
    private readonly ConcurrentQueue<Pending> _queue = new();
    private int _writing; // 1 while a leader or the background drain empties the queue
    private volatile bool _closed;
    private volatile Task _background = Task.CompletedTask;

    /// <param name="save">SaveChanges with the store's error mapping (unique violation → AlreadyExists)</param>
    public LogGroupCommit(IDbContextFactory<TContext> factory, WriteGate writes, Func<TContext, string, CancellationToken, Task> save)
    {
        _factory = factory;
        _writes = writes;
        _save = save;
    }

    private sealed record Pending(LogEventEntity Row, TaskCompletionSource Committed);

    /// <summary>Completes when the event is committed. Cancelling stops the wait, not the write.</summary>
    public Task AppendAsync(LogEventEntity row, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(_closed, this);
        var pending = new Pending(row, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        _queue.Enqueue(pending);
        if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            return LeadAsync(pending, ct);
        return pending.Committed.Task.WaitAsync(ct);
    }

    private async Task LeadAsync(Pending own, CancellationToken ct)
    {
        await DrainAsync(own).ConfigureAwait(false);
        await own.Committed.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes batches while events wait. A leader (<paramref name="own"/> set) stops once its own event is committed and
    /// leaves the rest to a background drain; the background drain stops when the queue is empty.
    /// </summary>
    private async Task DrainAsync(Pending? own)
    {
        var batch = new List<Pending>(MaxBatch);
        while (true)
        {
            while (batch.Count < MaxBatch && _queue.TryDequeue(out var pending))
                batch.Add(pending);
            if (batch.Count > 0)
            {
                await WriteAsync(batch).ConfigureAwait(false);
                batch.Clear();
                if (own is not null && own.Committed.Task.IsCompleted && !_queue.IsEmpty)
                {
                    _background = Task.Run(() => DrainAsync(null)); // keeps _writing: the drain is the writer now
                    return;
                }
                continue;
            }

            // A full fence, then look again: an event queued after the last dequeue either sees 0 and leads, or is
            // visible here and taken by this writer.
            Interlocked.Exchange(ref _writing, 0);
            if (_queue.IsEmpty || Interlocked.CompareExchange(ref _writing, 1, 0) != 0)
                return;
        }
    }

    private async Task WriteAsync(List<Pending> batch)
    {
        if (!await TryWriteAsync(batch).ConfigureAwait(false))
        {
            foreach (var pending in batch)
                await TryWriteAsync([pending]).ConfigureAwait(false);
        }
    }

    /// <summary>False when a batch of several failed (to be retried one by one); a single event's failure goes to its caller.</summary>
    private async Task<bool> TryWriteAsync(List<Pending> batch)
    {
        try
        {
            await using var db = await _factory.CreateDbContextAsync().ConfigureAwait(false);
            db.Logs.AddRange(batch.Select(p => p.Row));
            using var entered = await _writes.EnterAsync(CancellationToken.None).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            await _save(db, batch.Count == 1 ? $"Log '{batch[0].Row.LogId}'" : "Logs", CancellationToken.None).ConfigureAwait(false);
            StorageEvents.Log.LogBatchWritten(batch.Count, start);
        }
#pragma warning disable CA1031 // the writer must outlive any failure; the failure goes to the callers
        catch (Exception e)
#pragma warning restore CA1031
        {
            if (batch.Count > 1)
                return false;
            batch[0].Committed.TrySetException(e);
            return true;
        }
        foreach (var pending in batch)
            pending.Committed.TrySetResult();
        return true;
    }

    /// <summary>Refuses new events, writes what is queued, then returns.</summary>
    public async ValueTask DisposeAsync()
    {
        _closed = true;
        while (true)
        {
            await _background.ConfigureAwait(false);
            if (Interlocked.CompareExchange(ref _writing, 1, 0) == 0)
            {
                await DrainAsync(null).ConfigureAwait(false);
                if (_queue.IsEmpty)
                    return;
            }
            else
            {
                await Task.Delay(1).ConfigureAwait(false); // a leader is finishing its batch
            }
        }
    }

    /// <summary>For a container disposed synchronously: the same, waiting on the writer.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();
}
