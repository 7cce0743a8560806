using System.Security.Cryptography;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Grants;

public sealed record ClientAuthentication(Client? Client, OAuthError? Error, string? ClaimedClientId);

/// <summary>
/// Client authentication for the token, revoke and ro endpoints: <c>none</c> for public clients, the client secret in
/// the body (client_secret_post) or in a Basic header (client_secret_basic) for confidential ones, compared in
/// constant time against the secret decrypted from the store.
/// </summary>
public sealed class ClientAuthenticator(ConfigCache config, ISecretProtector protector)
{
    public async Task<ClientAuthentication> AuthenticateAsync(TokenRequest request, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var basic = request.Basic;
        var bodyId = request["client_id"];
        var bodySecret = request["client_secret"];
        if (basic is not null && bodySecret is not null)
            return Fail(OAuthError.InvalidRequest("Use one client authentication method: the Authorization header or client_secret, not both."), bodyId);
        if (basic is not null && bodyId is not null && bodyId != basic.ClientId)
            return Fail(OAuthError.InvalidRequest("client_id does not match the Authorization header."), bodyId);
        var clientId = basic?.ClientId ?? bodyId;
        if (clientId is null)
            return Fail(OAuthError.MissingParameter("client_id"), null);

        var client = clientId.Length <= 128 ? await config.GetClientAsync(clientId, ct) : null;
        if (client is null || client.IsGlobal)
            return Fail(OAuthError.InvalidClient(), clientId);
        if (client.TokenEndpointAuthMethod == TokenEndpointAuthMethods.None)
            return new ClientAuthentication(client, null, clientId);

        var presented = basic?.ClientSecret ?? bodySecret;
        if (presented is null || client.ClientSecretProtected is null)
            return Fail(OAuthError.InvalidClient(), clientId);
        string stored;
        try
        {
            stored = protector.Unprotect(client.ClientSecretProtected, Secrets.ClientSecretPurpose);
        }
        catch (CryptographicException)
        {
            return Fail(OAuthError.InvalidClient(), clientId);
        }
        return Secrets.FixedTimeEquals(presented, stored)
            ? new ClientAuthentication(client, null, clientId)
            : Fail(OAuthError.InvalidClient(), clientId);
    }

    private static ClientAuthentication Fail(OAuthError error, string? clientId) => new(null, error, clientId);
}
