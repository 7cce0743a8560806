using Gatehouse.Core.Connections;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Membership;

/// <summary>
/// A user about to get tokens, with what access rules, RBAC and claims ask of them, each read once and only when asked:
/// the directory profile their connection stored at the last login, the roles their groups map to, and all their
/// roles (direct and mapped). One per token request (or browser sign-in); never cached across requests, so a change of
/// roles or mapping applies to the next token.
/// </summary>
public sealed class LoginSubject(User user, Connection? connection, IDirectoryConnection? directory, IRoleStore roles)
{
    private DirectoryProfile? _profile;
    private IReadOnlyList<string>? _mapped;
    private IReadOnlyList<Role>? _all;

    public User User => user;

    /// <summary>The connection the user signed in through (the token's connection; for a refresh, the family's).</summary>
    public Connection? Connection => connection;

    /// <summary>Whether the user's connection has a directory (groups, app roles) at all.</summary>
    public bool HasDirectory => directory is not null;

    public DirectoryProfile Profile => _profile ??= directory?.ReadProfile(user) ?? DirectoryProfile.Empty;

    /// <summary>The role ids the user's groups and app roles map to (<see cref="RoleMapping"/>); empty without a mapping.</summary>
    public IReadOnlyList<string> MappedRoleIds => _mapped ??= directory is { RoleMapping.IsEmpty: false } d ? d.RoleMapping.Map(Profile) : [];

    /// <summary>Every role the user holds: assigned directly, then mapped (each once; a mapped id whose role is gone counts for nothing).</summary>
    public async Task<IReadOnlyList<Role>> RolesAsync(CancellationToken ct)
    {
        if (_all is not null)
            return _all;
        var all = (await roles.ListUserRolesAsync(user.UserId, PageRequest.All, ct)).Items.ToList();
        foreach (var id in MappedRoleIds)
        {
            if (all.All(r => r.Id != id) && await roles.GetRoleAsync(id, ct) is { } role)
                all.Add(role);
        }
        return _all = all;
    }
}

/// <summary>Makes the <see cref="LoginSubject"/> of a user and the connection they came through.</summary>
public sealed class LoginSubjects(ConnectionCache connections, IRoleStore roles)
{
    public LoginSubject For(User user, Connection? connection)
    {
        ArgumentNullException.ThrowIfNull(user);
        var directory = connection is null ? null : connections.Get(connection) as IDirectoryConnection;
        return new LoginSubject(user, connection, directory, roles);
    }
}
