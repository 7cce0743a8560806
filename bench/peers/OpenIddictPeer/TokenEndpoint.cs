using System.Security.Claims;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace OpenIddictPeer;

/// <summary>The pass-through token endpoint: check the password at Azure AD, then let OpenIddict issue the tokens.</summary>
internal static class TokenEndpoint
{
    public const string Audience = "https://bench.gatehouse.local/";

    public static async Task<IResult> HandleAsync(HttpContext context, UpstreamClient upstream)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenIddict request");
        if (!request.IsPasswordGrantType())
            return Forbid(Errors.UnsupportedGrantType, "only the password grant is supported");

        var user = await upstream.PasswordGrantAsync(request.Username!, request.Password!, context.RequestAborted);
        if (user is null)
            return Forbid(Errors.InvalidGrant, "Wrong email or password.");

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, "waad|" + user.GetPayloadValue<string>("oid"))
            .SetClaim(Claims.Email, user.TryGetPayloadValue<string>("email", out var email) ? email : user.GetPayloadValue<string>("preferred_username"))
            .SetClaim(Claims.Name, user.TryGetPayloadValue<string>("name", out var name) ? name : null);
        identity.SetScopes(request.GetScopes());
        identity.SetResources(Audience);
        identity.SetDestinations(claim => claim.Type switch
        {
            Claims.Name or Claims.Email => [Destinations.AccessToken, Destinations.IdentityToken],
            _ => [Destinations.AccessToken],
        });
        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Forbid(string error, string description) => Results.Forbid(
        new Microsoft.AspNetCore.Authentication.AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
