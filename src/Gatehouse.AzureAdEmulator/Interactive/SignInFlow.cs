using System.Security.Cryptography;
using System.Text;
using Gatehouse.AzureAd.Emulator.Endpoints;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// Moves a flow to its next page. Every step reruns the ROPC sign-in checks (<see cref="SignInChecks"/>) with what the
/// user has proven so far; the MFA and consent failures, which ROPC can only report, become pages here.
/// </summary>
internal static class SignInFlow
{
    public static FlowPage PageOf(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow) =>
        new(flow.Parameters.TenantSegment, flow.Id, rt.Interactive.Canary(BrowserCookies.EnsureBrowserId(ctx), flow.Id),
            $"'self' {SignInPages.OriginOf(flow.RedirectUri)}");

    public static Task ShowSignInAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, string? login, string? error)
    {
        flow.Stage = FlowStage.SignIn;
        flow.UserId = null;
        flow.Upn = null;
        flow.FromSession = false;
        flow.MfaDone = false;
        return SignInPages.SignInAsync(ctx, PageOf(ctx, rt, flow), login, error);
    }

    /// <summary>Runs the sign-in checks; answers with the next page, an error, or the code.</summary>
    public static async Task ContinueAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, string? password, string? login = null)
    {
        var p = flow.Parameters;
        var silent = p.Prompt == "none";
        var c = new SignInContext
        {
            Directory = rt.Directory.Snapshot,
            Request = new TokenRequest
            {
                Version = p.Version, TenantSegment = p.TenantSegment, ClientId = p.ClientId,
                Username = flow.Upn ?? login, Password = password, Resource = p.Resource, Scope = p.Scope,
            },
            Lockout = rt.Directory.Lockout, Now = rt.Time.GetUtcNow(),
            Interactive = true, CredentialsVerified = flow.UserId is not null, MfaDone = flow.MfaDone,
        };
        SignInResolver.Resolve(c, rt.RefreshTokens, rt.Interactive);
        var steps = new List<(string Check, AadstsError Error)>();
        var error = SignInChecks.Run(c, steps);

        if (error is not null)
        {
            Log(ctx, rt, c, error);
            await RefuseAsync(ctx, rt, flow, error, silent, login);
            return;
        }
        flow.UserId = c.User!.Id;
        flow.Upn = c.User.Upn;
        if (steps.Any(s => s.Check == SignInCheck.Mfa))
        {
            if (silent) await EndWithErrorAsync(ctx, rt, flow, steps.First(s => s.Check == SignInCheck.Mfa).Error with { Error = "interaction_required" });
            else await ShowMfaAsync(ctx, rt, flow, null);
            return;
        }
        // Password and MFA are done: the browser is signed in from here on, even if consent is then declined.
        var session = EnsureSession(ctx, rt, flow, c.User);
        var consentStep = steps.FirstOrDefault(s => s.Check == SignInCheck.Consent).Error;
        var forcedConsent = p.Prompt == "consent" && !flow.ConsentShown && c.Resource is not null;
        if (consentStep is not null || forcedConsent)
        {
            if (silent) await EndWithErrorAsync(ctx, rt, flow, consentStep! with { Error = "consent_required" });
            else await ShowConsentAsync(ctx, rt, flow, c);
            return;
        }
        Log(ctx, rt, c, null);
        await IssueCodeAsync(ctx, rt, flow, c, session);
    }

    /// <summary>Errors on the sign-in page (wrong password, locked, disabled…), stop pages (CA, MFA registration) or redirects.</summary>
    private static Task RefuseAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, AadstsError error, bool silent, string? login)
    {
        if (silent)
        {
            // Without a usable account a silent request is told to log in; anything else needs the user.
            var answer = error.Code switch
            {
                50034 or 50128 => Aadsts.SilentNoSession(),
                500011 or 700022 => error,
                _ => error with { Error = "interaction_required" },
            };
            return EndWithErrorAsync(ctx, rt, flow, answer);
        }
        switch (error.Code)
        {
            case 53003:
                rt.Interactive.EndFlow(flow);
                return SignInPages.StopAsync(ctx, rt, "You cannot access this right now", error, 200);
            case 50079:
                rt.Interactive.EndFlow(flow);
                return SignInPages.StopAsync(ctx, rt, "More information required", error, 200);
            case 50105:
                return EndWithErrorAsync(ctx, rt, flow, error with { Error = "interaction_required" });
            case 500011 or 700022:
                return EndWithErrorAsync(ctx, rt, flow, error);
            default:
                return ShowSignInAsync(ctx, rt, flow, login ?? flow.Upn, $"AADSTS{error.Code}: {error.Message}");
        }
    }

    public static Task EndWithErrorAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, AadstsError error, string? subcode = null)
    {
        rt.Interactive.EndFlow(flow);
        return AuthorizeResponses.ErrorAsync(ctx, rt, flow, error, subcode);
    }

    public static Task ShowMfaAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, string? error)
    {
        flow.Stage = FlowStage.Mfa;
        flow.MfaCode ??= rt.Interactive.NewMfaCode(flow.UserId!);
        return SignInPages.MfaAsync(ctx, PageOf(ctx, rt, flow), flow.Upn!, error);
    }

    private static Task ShowConsentAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, SignInContext c)
    {
        flow.Stage = FlowStage.Consent;
        // The app's required permissions on the resource plus whatever v2 asked for dynamically.
        var listed = c.Client!.Permissions.TryGetValue(c.Resource!.AppId, out var grant) ? grant.Scopes : new HashSet<string>();
        flow.ConsentResource = c.Resource.AppId;
        flow.ConsentScopes = [.. listed.Concat(c.ExplicitScopes).Distinct(StringComparer.OrdinalIgnoreCase)];
        var shown = flow.ConsentScopes.Select(c.Resource.QualifyScope).Prepend("Sign you in and read your profile");
        return SignInPages.ConsentAsync(ctx, PageOf(ctx, rt, flow), c.Client.Seed.DisplayName, shown);
    }

    private static BrowserSession EnsureSession(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, Model.User user)
    {
        var state = rt.Interactive;
        var current = state.FindSession(BrowserCookies.SessionOf(ctx));
        if (flow.FromSession && current is not null && current.UserId == user.Id && (current.Mfa || !flow.MfaDone)) return current;
        // A new sign-in always gets a new session id (no fixation of a planted cookie).
        state.EndSession(current?.Id);
        var session = state.StartSession(user.Id, user.Tenant.Id, flow.MfaDone);
        BrowserCookies.SetSession(ctx, session.Id);
        flow.FromSession = true;
        return session;
    }

    private static async Task IssueCodeAsync(HttpContext ctx, EmulatorRuntime rt, AuthorizeFlow flow, SignInContext c, BrowserSession session)
    {
        var state = rt.Interactive;
        session.SignedInTo(c.Client!.AppId);
        var p = flow.Parameters;
        var code = state.IssueCode(new CodeGrant(
            c.User!.Tenant.Id, c.User.Id, c.Client.AppId, flow.RedirectUri, p.Scope, p.Resource,
            p.CodeChallenge, p.CodeChallenge is null ? null : p.CodeChallengeMethod ?? "plain", p.Nonce, flow.MfaDone,
            state.Now + InteractiveState.CodeLifetime));
        state.EndFlow(flow);
        await AuthorizeResponses.CodeAsync(ctx, flow, code, SessionState(session.Id));
    }

    /// <summary>session_state: an opaque GUID-shaped value stable for one session.</summary>
    private static string SessionState(string sessionId) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId)).AsSpan(0, 16)).ToString();

    private static void Log(HttpContext ctx, EmulatorRuntime rt, SignInContext c, AadstsError? error)
    {
        var ids = RequestIds.Of(ctx);
        var r = c.Request;
        rt.SignInLog.Add(new SignInLogEntry(
            rt.Time.GetUtcNow(), c.Tenant?.Id ?? r.TenantSegment, c.User?.Upn ?? r.Username, r.ClientId,
            r.IsV1 ? r.Resource : c.Resource?.PrimaryUri, r.Scope, r.Version, "authorize", error?.Code ?? 0, error?.Error,
            ids.CorrelationId, ids.TraceId));
    }
}
