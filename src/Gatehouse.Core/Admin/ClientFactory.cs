using System.Text.Json;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Admin;

/// <summary>New clients with Auth0's defaults per app_type; confidential clients get a generated secret (stored protected).</summary>
public static class ClientFactory
{
    public static readonly IReadOnlyList<string> AppTypes = ["native", "spa", "regular_web", "non_interactive"];
    public static readonly IReadOnlyList<string> AuthMethods = TokenEndpointAuthMethods.All;

    public static string DefaultAuthMethod(string appType) => appType is "native" or "spa" ? TokenEndpointAuthMethods.None : TokenEndpointAuthMethods.ClientSecretPost;

    public static IReadOnlyList<string> DefaultGrantTypes(string appType) => appType switch
    {
        "native" or "spa" => ["authorization_code", "implicit", GrantTypes.RefreshToken],
        "non_interactive" => [GrantTypes.ClientCredentials],
        _ => ["authorization_code", "implicit", GrantTypes.RefreshToken, GrantTypes.ClientCredentials],
    };

    public static string NewSecret() => Secrets.RandomToken(48);

    /// <summary>Rotation: the client with a fresh protected secret, and that secret in plain text (shown once).</summary>
    public static (Client Client, string Secret) WithNewSecret(Client client, ISecretProtector protector)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(protector);
        var secret = NewSecret();
        return (client with { ClientSecretProtected = protector.Protect(secret, Secrets.ClientSecretPurpose) }, secret);
    }

    /// <summary>The client and, for a confidential one, its secret in plain text (shown once on create).</summary>
    public static (Client Client, string? Secret) Create(
        ISecretProtector protector, TimeProvider time, string name, string appType,
        string? authMethod = null, IReadOnlyList<string>? grantTypes = null, bool isFirstParty = true,
        bool ipHeaderTrusted = false, JsonElement? extra = null)
    {
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(time);
        var method = authMethod ?? DefaultAuthMethod(appType);
        var secret = method == TokenEndpointAuthMethods.None ? null : NewSecret();
        var client = new Client(
            ClientId: Secrets.RandomAlphanumeric(32),
            Name: name,
            AppType: appType,
            IsFirstParty: isFirstParty,
            TokenEndpointAuthMethod: method,
            ClientSecretProtected: secret is null ? null : protector.Protect(secret, Secrets.ClientSecretPurpose),
            GrantTypes: grantTypes ?? DefaultGrantTypes(appType),
            IsTokenEndpointIpHeaderTrusted: ipHeaderTrusted,
            IsGlobal: false,
            Extra: extra,
            CreatedAt: time.GetUtcNow(),
            Version: 0);
        return (client, secret);
    }
}
