using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// One password login as attack protection sees it: the normalized identifier, the end user's IP
/// (<see cref="EndUserIp"/>), the connection, and what its audit events say about the caller.
/// </summary>
public sealed record LoginAttempt(string Identifier, string? Ip, Connection Connection, AuditEntry Caller)
{
    /// <summary>The live connection: attack protection asks it for capabilities (brute_force_protection, upstream lockout).</summary>
    public IPasswordConnection? Live { get; init; }

    /// <summary>The live connection when its provider locks accounts out (the <see cref="UpstreamLockoutGuard"/> then runs).</summary>
    public IUpstreamLockoutConnection? Upstream => Live as IUpstreamLockoutConnection;
}
