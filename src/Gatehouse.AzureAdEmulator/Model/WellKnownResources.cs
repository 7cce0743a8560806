namespace Gatehouse.AzureAd.Emulator.Model;

/// <summary>First-party resources present in every tenant.</summary>
internal static class WellKnownResources
{
    public const string MicrosoftGraphAppId = "00000003-0000-0000-c000-000000000000";
    public const string MicrosoftGraphUri = "https://graph.microsoft.com";
    public const string AadGraphAppId = "00000002-0000-0000-c000-000000000000";
    public const string AadGraphUri = "https://graph.windows.net";

    /// <summary>OpenID Connect scopes: they name no resource and need no consent.</summary>
    public static readonly HashSet<string> OidcScopes = new(StringComparer.OrdinalIgnoreCase)
    {
        "openid", "profile", "email", "offline_access",
    };

    public static bool IsMicrosoftGraph(string resource) =>
        Same(resource, MicrosoftGraphUri) || Same(resource, MicrosoftGraphAppId);

    public static bool IsAadGraph(string resource) => Same(resource, AadGraphUri) || Same(resource, AadGraphAppId);

    private static bool Same(string value, string expected) =>
        string.Equals(value.TrimEnd('/'), expected, StringComparison.OrdinalIgnoreCase);
}
