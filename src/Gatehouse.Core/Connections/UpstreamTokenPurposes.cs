namespace Gatehouse.Core.Connections;

/// <summary>ISecretProtector purposes of the upstream tokens kept on a user's identity (UserIdentity.*Protected).</summary>
public static class UpstreamTokenPurposes
{
    public const string AccessToken = "upstream-token:access_token";
    public const string RefreshToken = "upstream-token:refresh_token";
}
