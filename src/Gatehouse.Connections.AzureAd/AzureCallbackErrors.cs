using System.Globalization;
using System.Text.RegularExpressions;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// An error Azure AD sent back to <c>/login/callback</c> (<c>error</c>, <c>error_description</c> "AADSTS{n}: …",
/// <c>error_subcode</c>; interactive-flows.md §5.3), in Auth0's words for the app: <c>access_denied</c> with a plain
/// description, the class decided by the same <see cref="AadstsClassifier"/> as the password grant. The silent-sign-in
/// answers (<c>login_required</c>, <c>consent_required</c>, and <c>interaction_required</c> to a <c>prompt=none</c>)
/// keep their OIDC code, which an app doing silent authentication acts on. Azure's text never reaches the app; the
/// AADSTS code, error and sub-code go to the audit detail.
/// </summary>
internal static partial class AzureCallbackErrors
{
    public const string CancelledDescription = "The sign-in was cancelled at the identity provider.";
    public const string InteractionDescription = "The identity provider needs the user to sign in interactively.";

    /// <summary>The refusal for the app, or an <see cref="UpstreamUnavailableException"/> when Azure says it is unavailable.</summary>
    public static RedirectSignInResult.Denied ToDenied(IReadOnlyDictionary<string, string> callback, string? prompt, string connectionName)
    {
        var error = callback.GetValueOrDefault("error");
        var subcode = callback.GetValueOrDefault("error_subcode");
        var code = AadstsCode().Match(callback.GetValueOrDefault("error_description") ?? "") is { Success: true } m
            && int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : (int?)null;
        // Status 302: the answer came as a redirect; the classifier decides on the AADSTS code, then on the error string.
        var aad = new AadError(302, error, code is { } c ? [c] : [], subcode, null, null, null, null);
        var detail = "authorize: " + aad.ToDetail();
        var cls = AadstsClassifier.Classify(aad);
        if (cls is AadstsClass.Throttled or AadstsClass.Unavailable)
        {
            throw new UpstreamUnavailableException(connectionName, null, detail);
        }

        if (error is "login_required" or "consent_required" || (error == "interaction_required" && prompt == "none"))
        {
            return new(error, error == "consent_required" ? Description(AadstsClass.ConsentRequired, detail) : InteractionDescription, detail);
        }

        if (subcode == "cancel" || code == 65004)
        {
            return new("access_denied", CancelledDescription, detail);
        }

        return new("access_denied", Description(cls, detail), detail);
    }

    /// <summary>The password path's plain words where they fit a browser sign-in too; its "this sign-in method cannot" ones do not.</summary>
    public static string Description(AadstsClass cls, string detail) => cls switch
    {
        AadstsClass.MfaRequired or AadstsClass.InteractionRequired => InteractionDescription,
        AadstsClass.WrongPassword or AadstsClass.UnknownUser => "The identity provider refused the sign-in.",
        _ => WaadRefusals.ToResult(cls, detail) is PasswordLoginResult.Denied denied ? denied.Description : "The identity provider refused the sign-in.",
    };

    [GeneratedRegex("^AADSTS([0-9]{1,9})\\b")]
    private static partial Regex AadstsCode();
}
