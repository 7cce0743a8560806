using Gatehouse.Core.Connections;
using Gatehouse.Core.Users;

namespace Gatehouse.AzureAd.Tests.Fakes;

/// <summary>
/// A login the way the password grant runs it, minus tokens: the connection authenticates, then the shared
/// <see cref="FederatedUserProvisioner"/> turns its identity into a user. The grant's "blocked" check is tested with
/// the grant (Gatehouse.Core.Tests); here a blocked user comes back as stored.
/// </summary>
internal static class ProvisionedLogin
{
    public static async Task<PasswordLoginResult> RunAsync(
        IPasswordConnection connection, FederatedUserProvisioner provisioner, string username, string password, LoginContext context)
    {
        var result = await connection.LoginAsync(username, password, context, CancellationToken.None);
        if (result is not PasswordLoginResult.Authenticated authenticated)
        {
            return result;
        }

        return await provisioner.ProvisionAsync(connection.Definition, authenticated.Identity, context.Ip, CancellationToken.None) switch
        {
            ProvisioningResult.Provisioned provisioned => new PasswordLoginResult.Success(provisioned.User),
            ProvisioningResult.Refused refused => refused.Denied,
            var other => throw new InvalidOperationException(other.GetType().Name),
        };
    }
}
