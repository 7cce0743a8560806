using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tests.Fakes;

/// <summary>A password connection strategy ("fake") that answers with a scripted result and records its logins.</summary>
public sealed class RecordingConnectionStrategy : IConnectionStrategy
{
    public const string Name = "fake";

    public string Strategy => Name;

    public Func<string, string, PasswordLoginResult> Answer { get; set; } =
        (_, _) => new PasswordLoginResult.InvalidCredentials(true, null, null);

    public List<(string Username, LoginContext Context)> Logins { get; } = [];

    public int Created { get; private set; }

    /// <summary>The group-to-role mapping its connections declare (none by default).</summary>
    public RoleMapping Mapping { get; set; } = RoleMapping.None;

    /// <summary>What its connections read as a user's directory profile (nothing by default).</summary>
    public Func<User, DirectoryProfile> Profile { get; set; } = _ => DirectoryProfile.Empty;

    public IReadOnlyList<OptionProblem> Validate(JsonElement options) => [];

    public IConnection Create(Connection definition)
    {
        Created++;
        return new Live(definition, this);
    }

    private sealed class Live(Connection definition, RecordingConnectionStrategy owner) : IPasswordConnection, IDirectoryConnection
    {
        public Connection Definition { get; } = definition;

        public RoleMapping RoleMapping => owner.Mapping;

        public DirectoryProfile ReadProfile(User user) => owner.Profile(user);

        public Task<PasswordLoginResult> LoginAsync(string username, string password, LoginContext context, CancellationToken ct)
        {
            owner.Logins.Add((username, context));
            return Task.FromResult(owner.Answer(username, password));
        }
    }
}
