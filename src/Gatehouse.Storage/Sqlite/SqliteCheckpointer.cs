using System.Diagnostics;
using Gatehouse.Storage.Diagnostics;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// Moves the WAL into the database file once a second, off the write path. SQLite's own auto-checkpoint runs inside
/// the commit that crosses 1,000 pages, and with one writer at a time (<see cref="Store.WriteGate"/>) every queued
/// writer would wait for its copy and fsync. A PASSIVE checkpoint blocks neither readers nor writers. Auto-checkpoint
/// stays on at a high mark (<see cref="SqliteConnectionSetup.AutoCheckpointPages"/>) only as a backstop should this
/// loop stop.
/// </summary>
internal sealed class SqliteCheckpointer<TContext> : IAsyncDisposable where TContext : DbContext
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly IDbContextFactory<TContext> _factory;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SqliteCheckpointer(IDbContextFactory<TContext> factory)
    {
        _factory = factory;
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await CheckpointAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // disposed
        }
    }

    private async Task CheckpointAsync()
    {
        try
        {
            await using var db = await _factory.CreateDbContextAsync(_stop.Token).ConfigureAwait(false);
            var start = Stopwatch.GetTimestamp();
            await db.Database.ExecuteSqlRawAsync("PRAGMA wal_checkpoint(PASSIVE);", _stop.Token).ConfigureAwait(false);
            StorageEvents.Log.WriteTook("WAL checkpoint", start);
        }
#pragma warning disable CA1031 // a failed checkpoint is retried next second; the auto-checkpoint backstop bounds the WAL meanwhile
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            StorageEvents.Log.CheckpointFailed(e.Message);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
