using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Protection;

/// <summary>
/// Whose IP a token request is counted and logged under. The socket address (as the host's forwarded-headers
/// set-up resolved it), unless a confidential client that authenticated with its secret and is trusted for it
/// (<c>is_token_endpoint_ip_header_trusted</c>) names its end user in <c>auth0-forwarded-for</c> (Auth0 §1.1).
/// Then <c>ip</c> is the end user and <c>client_ip</c> the backend.
/// </summary>
public static class EndUserIp
{
    /// <summary>Call only once <paramref name="client"/> is authenticated.</summary>
    public static TokenRequest Resolve(TokenRequest request, Client client)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(client);
        return client.IsTokenEndpointIpHeaderTrusted && client.TokenEndpointAuthMethod != TokenEndpointAuthMethods.None && request.ForwardedFor is { } forwarded
            ? request with { Ip = forwarded, ClientIp = request.ClientIp ?? request.Ip }
            : request;
    }
}
