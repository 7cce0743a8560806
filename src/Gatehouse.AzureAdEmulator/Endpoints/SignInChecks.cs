using System.Security.Cryptography;
using System.Text;
using Gatehouse.AzureAd.Emulator.Errors;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>
/// The sign-in checks of reference §11.3 steps 2-5, by name. They run in <see cref="EmulatorSettings.CheckOrder"/>;
/// the first error answers. A check whose input is unresolved passes: the check owning that input fails.
/// </summary>
internal static class SignInChecks
{
    /// <summary>Checks that only make sense when a password is presented.</summary>
    private static readonly HashSet<string> PasswordOnly =
    [
        SignInCheck.Locked, SignInCheck.Password, SignInCheck.Federation, SignInCheck.PasswordExpired,
        SignInCheck.Mfa, SignInCheck.MfaRegistration, SignInCheck.ConditionalAccess,
    ];

    /// <summary>Checks that judge the presented credential itself.</summary>
    private static readonly HashSet<string> CredentialOnly =
        [SignInCheck.Locked, SignInCheck.Password, SignInCheck.Federation, SignInCheck.PasswordExpired];

    /// <summary>
    /// The first failing check's error. With <paramref name="steps"/> (the interactive path) the mfa and consent
    /// failures are steps the user can still complete on a page: they are collected there and the run goes on.
    /// </summary>
    public static AadstsError? Run(SignInContext c, List<(string Check, AadstsError Error)>? steps = null)
    {
        foreach (var name in c.Directory.Settings.CheckOrder)
        {
            // Grants redeem a sign-in that already passed these checks (at the password or the authorize step).
            if ((c.IsRefresh || c.IsCode) && PasswordOnly.Contains(name)) continue;
            if (c.CredentialsVerified && CredentialOnly.Contains(name)) continue;
            var error = Check(name, c);
            if (error is null) continue;
            if (steps is not null && name is SignInCheck.Mfa or SignInCheck.Consent) steps.Add((name, error));
            else return error;
        }
        return null;
    }

    private static AadstsError? Check(string name, SignInContext c) => name switch
    {
        SignInCheck.Tenant => c.TenantError,
        SignInCheck.Client => Client(c),
        SignInCheck.Resource => c.Tenant is null ? null : c.ResourceError,
        SignInCheck.UserExists => UserExists(c),
        SignInCheck.Locked => c.User is { } u && (u.Seed.Locked || c.Lockout.IsLocked(u.Id)) ? Aadsts.Locked() : null,
        SignInCheck.Password => Password(c),
        SignInCheck.Disabled => c.User is { Seed.AccountEnabled: false } ? Aadsts.Disabled() : null,
        SignInCheck.Federation => c.User is { Seed: { Federated: true, CloudPasswordValidation: false } } ? Aadsts.InvalidCredentials() : null,
        SignInCheck.PasswordExpired => c.User is { Seed.PasswordExpired: true } ? Aadsts.PasswordExpired() : null,
        SignInCheck.Assignment => Assignment(c),
        SignInCheck.Consent => Consent(c),
        SignInCheck.Mfa => c.User is { Seed.MfaRequired: true } && !c.MfaDone ? Aadsts.MfaRequired(ResourceId(c), c.Directory.Settings.MfaError) : null,
        SignInCheck.MfaRegistration => c.User is { Seed.MfaRegistrationRequired: true } ? Aadsts.MfaRegistrationRequired(ResourceId(c)) : null,
        SignInCheck.ConditionalAccess => c.User is { Seed.ConditionalAccessBlocked: true } ? Aadsts.BlockedByConditionalAccess() : null,
        _ => null,
    };

    private static AadstsError? Client(SignInContext c)
    {
        if (c.Tenant is null) return null;
        var r = c.Request;
        if (c.Client is null) return Aadsts.AppNotFound(r.ClientId!, c.Tenant.Id);
        if (c.Interactive) return null; // the client authenticates when it redeems the code
        var app = c.Client.Seed;
        if (app.PublicClient) return r.SentClientCredential ? Aadsts.PublicClientSentSecret() : null;
        if (r.HasClientAssertion) return Aadsts.AssertionRejected();
        if (r.ClientSecret is null) return Aadsts.SecretRequired();
        var sent = Encoding.UTF8.GetBytes(r.ClientSecret);
        foreach (var secret in app.Secrets)
        {
            if (!CryptographicOperations.FixedTimeEquals(sent, Encoding.UTF8.GetBytes(secret.Value))) continue;
            if (secret.ExpiresAt <= c.Now) return Aadsts.SecretExpired(c.Client.AppId);
            c.ClientAuthenticated = true;
            return null;
        }
        return Aadsts.InvalidSecret(c.Client.AppId);
    }

    private static AadstsError? UserExists(SignInContext c)
    {
        if (c.Tenant is null) return null;
        if (c.IsRefresh || c.IsCode) return c.GrantError ?? (c.User is null ? Aadsts.UserNotFound(c.Tenant.Id) : null);
        return c.User is null or { Seed.GuestMsa: true } ? Aadsts.UserNotFound(c.Tenant.Id) : null;
    }

    private static AadstsError? Password(SignInContext c)
    {
        if (c.User is not { } user || user.Seed is { Federated: true, CloudPasswordValidation: false }) return null;
        var expected = user.Seed.Password;
        var ok = expected is not null && CryptographicOperations.FixedTimeEquals(
            Encoding.UTF8.GetBytes(c.Request.Password!), Encoding.UTF8.GetBytes(expected));
        if (ok)
        {
            c.Lockout.RecordSuccess(user.Id);
            return null;
        }
        c.Lockout.RecordFailure(user.Id, c.Directory.Settings);
        return Aadsts.InvalidCredentials();
    }

    private static AadstsError? Assignment(SignInContext c)
    {
        if (c.Client is not { } client || c.User is not { } user) return null;
        return client.Seed.AssignmentRequired && !user.IsAssignedTo(client.AppId)
            ? Aadsts.NotAssigned(client.Seed.DisplayName, client.AppId)
            : null;
    }

    /// <summary>The resource must be in the client's required permissions, consented, and cover the scopes asked for.</summary>
    private static AadstsError? Consent(SignInContext c)
    {
        if (c.Client is not { } client || c.Resource is not { } resource || c.User is null) return null;
        if (resource.AppId == client.AppId) return null;
        var consentRequired = Aadsts.ConsentRequired(client.AppId, client.Seed.DisplayName);
        var asksResource = c.Request.IsV1 || c.ExplicitScopes.Count > 0 || c.Request.Scope?.Contains("/.default", StringComparison.Ordinal) == true;
        if (!asksResource) return null; // only OpenID Connect scopes: nothing to consent to
        var consented = c.ConsentedScopes();
        if (consented is null) return consentRequired;
        return c.ExplicitScopes.All(consented.Contains) ? null : consentRequired;
    }

    private static string ResourceId(SignInContext c) => c.Resource?.AppId ?? "";
}
