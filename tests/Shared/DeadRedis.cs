using System.Net;
using System.Net.Sockets;

namespace Gatehouse.Tests.Shared;

/// <summary>How a <see cref="DeadRedis"/> treats a connection.</summary>
public enum DeadRedisBehaviour
{
    /// <summary>Accepts and closes at once: a Redis that is gone (as a refused connection, the handshake never completes).</summary>
    Closes,

    /// <summary>Accepts and never answers a byte: a hung Redis (or a black-holed network), where only time-outs help.</summary>
    Silent,
}

/// <summary>
/// "Redis is down", deterministically: a loopback port this test listens on for its whole life, so no other process can
/// take it between choosing it and using it (as a port that "was free a moment ago" can be), and what it does with a
/// connection is decided here, not by luck. Linked into each test project that needs it.
/// </summary>
public sealed class DeadRedis : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = [];
    private readonly CancellationTokenSource _stop = new();

    public DeadRedis(DeadRedisBehaviour behaviour)
    {
        _listener.Start();
        Configuration = "127.0.0.1:" + ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptAsync(behaviour);
    }

    /// <summary>The StackExchange.Redis configuration string that points at this port.</summary>
    public string Configuration { get; }

    /// <summary>Connections accepted so far (a test proves the client really came here).</summary>
    public int Accepted { get; private set; }

    private async Task AcceptAsync(DeadRedisBehaviour behaviour)
    {
        try
        {
            while (true)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                Accepted++;
                if (behaviour == DeadRedisBehaviour.Closes)
                    socket.Dispose();
                else
                    lock (_held)
                        _held.Add(socket);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Disposed: the port is released with the test.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held)
            foreach (var socket in _held)
                socket.Dispose();
        _stop.Dispose();
    }
}
