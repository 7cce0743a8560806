using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Connections;

/// <summary>
/// A connection whose users come from a directory with groups and app roles (waad): it reads what the user's last login
/// stored (<see cref="DirectoryProfile"/>) and maps it to Gatehouse roles by its options. Claims, access rules and RBAC ask
/// for this capability, never for a strategy.
/// </summary>
public interface IDirectoryConnection : IConnection
{
    /// <summary>The connection's group-to-role mapping (<see cref="RoleMapping.None"/> when it has none).</summary>
    RoleMapping RoleMapping { get; }

    /// <summary>What the directory said of the user at their last login, from the stored user.</summary>
    DirectoryProfile ReadProfile(User user);
}
