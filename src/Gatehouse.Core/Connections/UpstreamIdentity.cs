using System.Text.Json;

namespace Gatehouse.Core.Connections;

/// <summary>
/// Who an identity provider says signed in: what a federated connection returns instead of writing a user (dex's
/// <c>connector.Identity</c>). <see cref="Users.FederatedUserProvisioner"/> turns it into a stored user; the
/// connection never touches the store. Account linking (one user, several identities) will live there, not here.
/// </summary>
/// <param name="Provider">identities[].provider and the user_id prefix, e.g. "waad".</param>
/// <param name="UserId">The provider's id for the user: identities[].user_id.</param>
/// <param name="ExternalKey">Stable and unique within the connection (Azure AD: "&lt;tid&gt;/&lt;oid&gt;"): how a returning user is found.</param>
/// <param name="Attributes">Connection-specific claims kept on the user (upn, groups, ...).</param>
/// <param name="RootAttributes">Auth0's <c>set_user_root_attributes</c>: when the profile overwrites name, given_name, family_name, nickname.</param>
public sealed record UpstreamIdentity(
    string Provider,
    string UserId,
    string ExternalKey,
    string? Email,
    bool EmailVerified,
    string? Name,
    string? GivenName,
    string? FamilyName,
    string? Nickname,
    JsonElement Attributes,
    UpstreamTokens Tokens,
    RootAttributesPolicy RootAttributes)
{
    /// <summary>
    /// The account at the provider when it is the same for every connection to its directory (Azure AD: tid and oid),
    /// and then <see cref="ExternalKey"/> names it the same way on each of them: what automatic account linking
    /// matches on (<see cref="Users.AccountLinks"/>). Null when the provider has no such account.
    /// </summary>
    public UpstreamAccount? Account { get; init; }
}

/// <summary>
/// The provider's tokens kept for the user (identities[].access_token, refresh_token): encrypted by the provisioner
/// before they are stored, shown only to callers allowed to read them, and never printed (no ToString leak into a log).
/// </summary>
public sealed record UpstreamTokens(string? AccessToken, string? RefreshToken)
{
    public static readonly UpstreamTokens None = new(null, null);

    public override string ToString() => $"UpstreamTokens {{ AccessToken = {Mask(AccessToken)}, RefreshToken = {Mask(RefreshToken)} }}";

    private static string Mask(string? token) => token is null ? "null" : "(redacted)";
}

/// <summary>Auth0's <c>set_user_root_attributes</c> for enterprise connections.</summary>
public enum RootAttributesPolicy
{
    OnEachLogin,
    OnFirstLogin,
    NeverOnLogin,
}
