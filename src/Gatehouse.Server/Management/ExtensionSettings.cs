using Gatehouse.Core.Claims;

namespace Gatehouse.Server.Management;

/// <summary>A Gatehouse extension object's problems (<see cref="SettingProblem"/>) as the Management API's 400: the first one, in Auth0's words.</summary>
internal static class ExtensionSettings
{
    public static void Check(IReadOnlyList<SettingProblem> problems)
    {
        if (problems.Count > 0)
            throw ManagementException.BadBody(problems[0].ToPayloadError());
    }
}
