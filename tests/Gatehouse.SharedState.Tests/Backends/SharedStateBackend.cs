using Gatehouse.Core.Authorization;
using Gatehouse.Core.Devices;
using System.Security.Cryptography;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;
using Gatehouse.Storage.Redis;

namespace Gatehouse.SharedState.Tests.Backends;

/// <summary>
/// Where a conformance suite's stores live. <see cref="Node"/> opens a node's view: each Redis node has its own
/// multiplexer (as two Gatehouse processes would), the in-memory backend has one node only, so both views are the same.
/// </summary>
public interface ISharedStateBackend
{
    INode Node();
}

public interface INode
{
    IAttackCounters Counters { get; }

    IAuthorizationCodeStore Codes { get; }

    ILoginTransactionStore Transactions { get; }

    IFederatedStateStore FederatedStates { get; }

    IMfaTokenStore MfaTokens { get; }

    IDeviceAuthorizationStore Devices { get; }

    IDeviceActivationVisitStore ActivationVisits { get; }
}

public sealed class InMemoryBackend : ISharedStateBackend
{
    private readonly InMemoryNode _node = new();

    public INode Node() => _node;

    private sealed class InMemoryNode : INode
    {
        public IAttackCounters Counters { get; } = new InMemoryAttackCounters(TimeProvider.System, new ProtectionOptions());

        public IAuthorizationCodeStore Codes { get; } = new InMemoryAuthorizationCodeStore(new AuthorizationOptions(), TimeProvider.System);

        public ILoginTransactionStore Transactions { get; } = new InMemoryLoginTransactionStore(new AuthorizationOptions(), TimeProvider.System);

        public IFederatedStateStore FederatedStates { get; } = new FederatedStates(new AuthorizationOptions(), TimeProvider.System);

        public IMfaTokenStore MfaTokens { get; } = new InMemoryMfaTokenStore(TimeProvider.System);

        public IDeviceAuthorizationStore Devices { get; } = new InMemoryDeviceAuthorizationStore(new DeviceOptions(), TimeProvider.System);

        public IDeviceActivationVisitStore ActivationVisits { get; } = new InMemoryDeviceActivationVisitStore(new DeviceOptions(), TimeProvider.System);
    }
}

/// <summary>
/// Redis from <c>GATEHOUSE_TEST_REDIS</c> (scripts/test starts one); without it every Redis test fails, never skips,
/// and says how to get one. Each test class gets its own key prefix, so classes running in parallel never meet.
/// </summary>
public sealed class RedisBackend : ISharedStateBackend, IDisposable
{
    public const string EnvironmentVariable = "GATEHOUSE_TEST_REDIS";

    private readonly string _prefix = "gatehouse-test:" + Guid.NewGuid().ToString("N")[..12] + ":";
    private readonly List<RedisConnection> _connections = [];

    /// <summary>Every node of a deployment has the same master key.</summary>
    private static readonly AesGcmSecretProtector Protector = new(RandomNumberGenerator.GetBytes(32));

    public static string Configuration =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configuration
            ? configuration
            : throw new InvalidOperationException(
                $"{EnvironmentVariable} is not set, so the Redis tests cannot run. Run them through scripts/test, or start a server with " +
                $"`scripts/lib/redis.sh start` and export the {EnvironmentVariable}=... line it prints (e.g. 127.0.0.1:56379).");

    public INode Node()
    {
        var connection = Connect(_prefix);
        lock (_connections)
            _connections.Add(connection);
        return new RedisNode(connection);
    }

    /// <summary>
    /// A node's connection to the test server, connected before a test uses it. The store connects in the background
    /// and fails a command at once while it has no connection (a node must never hang on Redis), so on a busy CI
    /// machine the first command could run before the first connect and fail by luck; and a generous answer time, since
    /// these tests are about what Redis answers, not how fast (RedisDownTests own the time-outs).
    /// </summary>
    public static RedisConnection Connect(string prefix)
    {
        var connection = new RedisConnection(new RedisOptions { Configuration = Configuration, KeyPrefix = prefix, TimeoutMilliseconds = 10_000 });
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!connection.IsConnected)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                connection.Dispose();
                throw new InvalidOperationException($"The test Redis at {Configuration} did not accept a connection within 60 s.");
            }
            Thread.Sleep(20);
        }
        return connection;
    }

    public void Dispose()
    {
        foreach (var connection in _connections)
            connection.Dispose();
    }

    private sealed class RedisNode(RedisConnection connection) : INode
    {
        public IAttackCounters Counters { get; } = new RedisAttackCounters(connection);

        public IAuthorizationCodeStore Codes { get; } = new RedisAuthorizationCodeStore(connection, new AuthorizationOptions(), TimeProvider.System);

        public ILoginTransactionStore Transactions { get; } = new RedisLoginTransactionStore(connection, Protector, TimeProvider.System);

        public IFederatedStateStore FederatedStates { get; } = new RedisFederatedStateStore(connection, Protector, TimeProvider.System);

        public IMfaTokenStore MfaTokens { get; } = new RedisMfaTokenStore(connection, TimeProvider.System);

        public IDeviceAuthorizationStore Devices { get; } = new RedisDeviceAuthorizationStore(connection, Protector, new DeviceOptions(), TimeProvider.System);

        public IDeviceActivationVisitStore ActivationVisits { get; } = new RedisDeviceActivationVisitStore(connection, Protector, TimeProvider.System);
    }
}
