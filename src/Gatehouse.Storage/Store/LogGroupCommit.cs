using System.Diagnostics;
using System.Threading.Channels;
using Gatehouse.Storage.Diagnostics;
using Gatehouse.Storage.Entities;
using Gatehouse.Storage.Model;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Store;

/// <summary>
/// Group commit for audit events. Every login appends one, and alone each costs a pooled context, a connection and a
/// transaction of its own. Here one writer takes every event waiting and inserts them in one SaveChanges; events that
/// arrive meanwhile go in the next batch, so a lone event is written at once and a busy node writes in batches.
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
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new() { SingleReader = true });
    private readonly Task _writer;

    /// <param name="save">SaveChanges with the store's error mapping (unique violation → AlreadyExists)</param>
    public LogGroupCommit(IDbContextFactory<TContext> factory, WriteGate writes, Func<TContext, string, CancellationToken, Task> save)
    {
        _factory = factory;
        _writes = writes;
        _save = save;
        _writer = Task.Run(WriteUntilClosedAsync);
    }

    private sealed record Pending(LogEventEntity Row, TaskCompletionSource Committed);

    /// <summary>Completes when the event is committed. Cancelling stops the wait, not the write.</summary>
    public Task AppendAsync(LogEventEntity row, CancellationToken ct)
    {
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Pending(row, committed)))
            throw new ObjectDisposedException(nameof(LogGroupCommit<TContext>), "The store is shutting down.");
        return committed.Task.WaitAsync(ct);
    }

    private async Task WriteUntilClosedAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
                batch.Add(pending);
            if (!await TryWriteAsync(batch).ConfigureAwait(false))
            {
                foreach (var pending in batch)
                    await TryWriteAsync([pending]).ConfigureAwait(false);
            }
            batch.Clear();
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

    /// <summary>Writes what is queued, then stops.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer.ConfigureAwait(false);
    }

    /// <summary>For a container disposed synchronously: the same, waiting on the writer.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.GetAwaiter().GetResult();
    }
}
