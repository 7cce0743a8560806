using Gatehouse.Core.Storage;
using StackExchange.Redis;

namespace Gatehouse.Storage.Redis;

/// <summary>
/// The one multiplexer of a node, tuned never to hang a request: it connects in the background (a Redis that is
/// down at start does not stop the node), a command fails at once while there is no connection (no backlog queue)
/// and waits at most <see cref="RedisOptions.TimeoutMilliseconds"/> for its answer. Every failure surfaces as
/// <see cref="SharedStateUnavailableException"/>, which callers know how to answer.
/// </summary>
public sealed class RedisConnection : IDisposable
{
    private readonly ConnectionMultiplexer _multiplexer;
    private readonly string _prefix;

    public RedisConnection(RedisOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var configuration = ConfigurationOptions.Parse(options.Validated().Configuration!);
        configuration.AbortOnConnectFail = false;
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.ConnectTimeout = options.TimeoutMilliseconds;
        configuration.SyncTimeout = options.TimeoutMilliseconds;
        configuration.AsyncTimeout = options.TimeoutMilliseconds;
        configuration.ConnectRetry = 1;
        configuration.ClientName ??= "gatehouse";
        _multiplexer = ConnectionMultiplexer.Connect(configuration);
        _prefix = options.KeyPrefix;
    }

    public IDatabase Database => _multiplexer.GetDatabase();

    public bool IsConnected => _multiplexer.IsConnected;

    /// <summary>The key of <paramref name="name"/> in <paramref name="area"/> (one short word per store), under the deployment's prefix.</summary>
    public RedisKey Key(string area, string name) => _prefix + area + ":" + name;

    /// <summary>Runs one Redis call; a connection or time-out failure becomes <see cref="SharedStateUnavailableException"/>.</summary>
    public async Task<T> RunAsync<T>(string operation, Func<IDatabase, Task<T>> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        try
        {
            return await call(Database).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException or TimeoutException)
        {
            // The message names the operation only: never a key (it may hold an identifier) nor a value.
            throw new SharedStateUnavailableException($"Redis did not answer {operation}: {e.GetType().Name}", e);
        }
    }

    /// <summary>True when Redis answers a PING within the time-out (readiness).</summary>
    public async Task<bool> PingAsync()
    {
        try
        {
            await Database.PingAsync().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return false;
        }
    }

    public void Dispose() => _multiplexer.Dispose();
}
