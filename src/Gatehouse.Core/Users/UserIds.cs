using Gatehouse.Core.Security;

namespace Gatehouse.Core.Users;

public static class UserIds
{
    /// <summary>Auth0's database user id: <c>auth0|</c> + 24 hex digits.</summary>
    public static string NewDatabaseId() => Secrets.RandomHex(12);

    public static string Compose(string provider, string id) => $"{provider}|{id}";
}
