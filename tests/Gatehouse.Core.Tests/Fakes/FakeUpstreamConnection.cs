using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tests.Fakes;

/// <summary>A connection whose provider locks accounts out, naming its directory as given; users' ExternalKey is "directory/id".</summary>
public sealed class FakeUpstreamConnection(Connection definition, params string[] directories) : IUpstreamLockoutConnection
{
    public Connection Definition { get; } = definition;

    public Task<PasswordLoginResult> LoginAsync(string username, string password, LoginContext context, CancellationToken ct) =>
        throw new NotSupportedException("the guard is driven directly");

    public IReadOnlyList<string> UpstreamDirectories() => directories;

    public UpstreamAccount? UpstreamAccountOf(User user) =>
        user.ExternalKey?.Split('/') is [var directory, var id] ? new UpstreamAccount(directory, id) : null;
}
