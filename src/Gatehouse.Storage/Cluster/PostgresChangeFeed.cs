using System.Collections.Concurrent;
using Npgsql;

namespace Gatehouse.Storage.Cluster;

/// <summary>
/// PostgreSQL LISTEN/NOTIFY between the nodes of one database: no extra dependency. One connection per node
/// listens on <see cref="Channel"/>; a write publishes <c>kind:node:id</c> after it committed and waits until its own
/// listener hears it back, because PostgreSQL hands a notification to every listener at once: when the echo is here,
/// every other node has been sent it too, before the Management API answers. Losing the listener (PostgreSQL
/// restarted) reports every kind as changed when it reconnects; while it is down the caches' timers are the bound.
/// </summary>
internal sealed class PostgresChangeFeed : IChangeFeed, IAsyncDisposable
{
    public const string Channel = "gatehouse_changes";

    /// <summary>How long a publisher waits for its echo; past it the other nodes' timers still bound the staleness.</summary>
    private static readonly TimeSpan EchoWait = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan Reconnect = TimeSpan.FromSeconds(1);

    private readonly NpgsqlDataSource _source;
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _echoes = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _listening;
    private volatile bool _listens;

    public PostgresChangeFeed(string connectionString)
    {
        // Keepalive: a listener behind a dead peer notices within seconds instead of waiting forever.
        _source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { KeepAlive = 10, Pooling = true }.ConnectionString);
        _listening = Task.Run(ListenAsync);
    }

    public event Action<ChangeKind>? Received;

    /// <summary>True while the listener is connected (tests wait for it; a publisher only waits for an echo then).</summary>
    public bool IsListening => _listens;

    public async Task PublishAsync(ChangeKind kind)
    {
        var id = Guid.NewGuid().ToString("N");
        var echo = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _echoes[id] = echo;
        try
        {
            await using (var command = _source.CreateCommand("SELECT pg_notify(@channel, @payload)"))
            {
                command.Parameters.AddWithValue("channel", Channel);
                command.Parameters.AddWithValue("payload", $"{(int)kind}:{_node}:{id}");
                await command.ExecuteNonQueryAsync(_stop.Token);
            }
            if (_listens)
                await echo.Task.WaitAsync(EchoWait, _stop.Token);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // The write itself is done; the other nodes' cache timers bound what they miss.
        }
        finally
        {
            _echoes.TryRemove(id, out _);
        }
    }

    private async Task ListenAsync()
    {
        var reconnected = false; // the first connection has missed nothing: nothing was cached before it
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = await _source.OpenConnectionAsync(_stop.Token);
                connection.Notification += (_, e) => OnNotification(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                    await listen.ExecuteNonQueryAsync(_stop.Token);
                _listens = true;
                if (reconnected)
                    RaiseAll(); // whatever changed while nobody listened
                reconnected = true;
                while (true)
                    await connection.WaitAsync(_stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                _listens = false;
                try
                {
                    await Task.Delay(Reconnect, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void OnNotification(string payload)
    {
        var parts = payload.Split(':');
        if (parts.Length != 3 || !int.TryParse(parts[0], out var kind) || !Enum.IsDefined((ChangeKind)kind))
            return;
        if (parts[1] == _node)
        {
            if (_echoes.TryGetValue(parts[2], out var echo))
                echo.TrySetResult();
            return;
        }
        Received?.Invoke((ChangeKind)kind);
    }

    private void RaiseAll()
    {
        foreach (var kind in Enum.GetValues<ChangeKind>())
            Received?.Invoke(kind);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _listening;
        }
        catch (OperationCanceledException)
        {
        }
        _listens = false;
        await _source.DisposeAsync();
        _stop.Dispose();
    }
}
