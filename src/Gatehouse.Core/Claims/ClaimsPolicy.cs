using Gatehouse.Core.Membership;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tokens;

namespace Gatehouse.Core.Claims;

/// <summary>
/// The token pipeline's step for "claims without code": the custom claims the grant's API and the client chose
/// (<see cref="CustomClaims"/>) onto the grant, for the issuer to write. A user grant only; nothing is read for a client
/// or an API without <c>gatehouse_claims</c> (the API's record is a <see cref="ConfigCache"/> hit).
/// </summary>
public sealed class ClaimsPolicy(ConfigCache config)
{
    public async Task<TokenGrant> ApplyAsync(TokenGrant grant, Client client, LoginSubject? subject, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(grant);
        ArgumentNullException.ThrowIfNull(client);
        if (subject is null)
            return grant;
        var api = grant.Audience.Length <= 600 ? await config.GetResourceServerByIdentifierAsync(grant.Audience, ct) : null;
        var apiSettings = CustomClaims.SettingsOf(api?.Extra, forResourceServer: true);
        var appSettings = CustomClaims.SettingsOf(client.Extra, forResourceServer: false);
        if (apiSettings is null && appSettings is null)
            return grant;

        var access = new List<(ClaimSettings, IReadOnlyList<string>)>();
        if (apiSettings is not null)
            access.Add((apiSettings, apiSettings.AccessToken));
        if (appSettings is not null)
            access.Add((appSettings, appSettings.AccessToken));
        var accessClaims = await CustomClaims.BuildAsync(access, subject, ct);
        var idClaims = appSettings is not null && grant.HasScope("openid")
            ? await CustomClaims.BuildAsync([(appSettings, appSettings.IdToken)], subject, ct)
            : [];
        return grant with
        {
            AccessTokenClaims = accessClaims.Count > 0 ? accessClaims : null,
            IdTokenClaims = idClaims.Count > 0 ? idClaims : null,
        };
    }
}
