using Microsoft.IdentityModel.JsonWebTokens;

namespace Gatehouse.Connections.Upstream;

/// <summary>
/// Which <c>iss</c> an id_token may carry (OpenID Connect Core 1.0 §3.1.3.7 step 2), with the claims the issuer binds.
/// <see cref="Problem"/> answers null for a right token, else why it is wrong (for the audit detail).
/// </summary>
public abstract class IssuerRule
{
    /// <summary>Null when the token's issuer is right, else the problem.</summary>
    public abstract string? Problem(JsonWebToken token);

    /// <summary>One fixed issuer, compared ordinally (a generic OpenID Provider).</summary>
    public static IssuerRule Exact(string issuer) => new ExactIssuer(issuer);

    /// <summary>
    /// An issuer with a placeholder filled from one of the token's own claims, as multi-tenant providers publish it:
    /// Azure AD's common endpoint says <c>https://login.microsoftonline.com/{tenantid}/v2.0</c> and the token's
    /// <c>tid</c> fills it. <paramref name="checkClaim"/> first judges the claim's value (null when it is missing or
    /// not a string): null to accept it, else the problem. A template without the placeholder is an exact issuer
    /// whose claim is still checked.
    /// </summary>
    public static IssuerRule Template(string template, string placeholder, string claim, Func<string?, string?>? checkClaim = null) =>
        new TemplateIssuer(template, placeholder, claim, checkClaim);

    /// <summary>Any other rule, as a delegate.</summary>
    public static IssuerRule Of(Func<JsonWebToken, string?> check) => new DelegateIssuer(check);

    private static string Mismatch(string? actual, string expected) => $"id_token issuer '{actual}' is not '{expected}'";

    private sealed class ExactIssuer(string issuer) : IssuerRule
    {
        public override string? Problem(JsonWebToken token) =>
            string.Equals(token.Issuer, issuer, StringComparison.Ordinal) ? null : Mismatch(token.Issuer, issuer);
    }

    private sealed class TemplateIssuer(string template, string placeholder, string claim, Func<string?, string?>? checkClaim) : IssuerRule
    {
        public override string? Problem(JsonWebToken token)
        {
            var value = token.TryGetPayloadValue<object>(claim, out var raw) && raw is string text ? text : null;
            if (checkClaim?.Invoke(value) is { } problem)
                return problem;
            if (value is null)
                return $"id_token has no {claim} claim";
            // Replace returns the template itself when it has no placeholder: no allocation for a fixed issuer.
            var expected = template.Replace(placeholder, value, StringComparison.Ordinal);
            return string.Equals(token.Issuer, expected, StringComparison.Ordinal) ? null : Mismatch(token.Issuer, expected);
        }
    }

    private sealed class DelegateIssuer(Func<JsonWebToken, string?> check) : IssuerRule
    {
        public override string? Problem(JsonWebToken token) => check(token);
    }
}
