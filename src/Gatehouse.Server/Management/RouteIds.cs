namespace Gatehouse.Server.Management;

/// <summary>Ids in paths are URL-encoded (Auth0 SDKs encode <c>|</c> and <c>/</c>); routing leaves <c>%2F</c> encoded.</summary>
internal static class RouteIds
{
    public static string Decode(string id) => id.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
}
