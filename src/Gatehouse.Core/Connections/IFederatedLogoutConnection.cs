namespace Gatehouse.Core.Connections;

/// <summary>
/// A connection whose identity provider can end its own session too (Auth0's <c>/v2/logout?federated</c>; Azure AD's
/// <c>/oauth2/logout</c>). Optional: a connection without it is simply not logged out upstream.
/// </summary>
public interface IFederatedLogoutConnection : IConnection
{
    /// <summary>
    /// The provider's logout URL. <paramref name="returnTo"/> is where the provider should send the browser afterwards
    /// (already checked against the allow-list), or null to stay at the provider's signed-out page.
    /// </summary>
    Uri LogoutUri(Uri? returnTo);
}
