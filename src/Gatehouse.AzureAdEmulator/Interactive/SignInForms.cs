using System.Security.Cryptography;
using System.Text;
using Gatehouse.AzureAd.Emulator.Endpoints;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// The sign-in pages' form posts (field names: README.md "Browser sign-in"). Each is accepted only for a live flow,
/// at that flow's current step, with the canary bound to this browser; then <see cref="SignInFlow"/> moves on.
/// </summary>
internal static class SignInForms
{
    public const int MaxMfaFailures = 5;

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapPost("/{tenant}/login", (HttpContext ctx) => PasswordAsync(ctx, rt));
        app.MapPost("/{tenant}/login/mfa", (HttpContext ctx) => MfaAsync(ctx, rt));
        app.MapPost("/{tenant}/login/consent", (HttpContext ctx) => ConsentAsync(ctx, rt));
        app.MapPost("/{tenant}/login/select", (HttpContext ctx) => SelectAccountAsync(ctx, rt));
    }

    public static async Task PasswordAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        if (await FlowOfFormAsync(ctx, rt, FlowStage.SignIn) is not var (flow, form)) return;
        var login = form["login"].ToString().Trim();
        var password = form["passwd"].ToString();
        if (login.Length == 0)
            await SignInFlow.ShowSignInAsync(ctx, rt, flow, null, "Enter a valid email address, phone number, or Skype name.");
        else if (password.Length == 0)
            await SignInFlow.ShowSignInAsync(ctx, rt, flow, login, "Please enter your password.");
        else
            await SignInFlow.ContinueAsync(ctx, rt, flow, password, login);
    }

    public static async Task MfaAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        if (await FlowOfFormAsync(ctx, rt, FlowStage.Mfa) is not var (flow, form)) return;
        var sent = Encoding.UTF8.GetBytes(form["otc"].ToString().Trim());
        if (flow.MfaCode is null || !CryptographicOperations.FixedTimeEquals(sent, Encoding.UTF8.GetBytes(flow.MfaCode)))
        {
            // A six-digit code must not be guessable: a few wrong tries end the sign-in.
            if (++flow.MfaFailures >= MaxMfaFailures)
                await SignInFlow.EndWithErrorAsync(ctx, rt, flow, Aadsts.StrongAuthenticationFailed());
            else
                await SignInFlow.ShowMfaAsync(ctx, rt, flow, "You didn't enter the expected verification code. Please try again.");
            return;
        }
        flow.MfaDone = true;
        flow.MfaCode = null;
        rt.Interactive.ClearMfaCode(flow.UserId!);
        await SignInFlow.ContinueAsync(ctx, rt, flow, password: null);
    }

    public static async Task ConsentAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        if (await FlowOfFormAsync(ctx, rt, FlowStage.Consent) is not var (flow, form)) return;
        if (form["action"].ToString() != "accept")
        {
            var app = rt.Directory.Snapshot.FindApp(flow.Parameters.ClientId!);
            await SignInFlow.EndWithErrorAsync(ctx, rt, flow, Aadsts.UserDeclinedConsent(flow.Parameters.ClientId!, app?.Seed.DisplayName ?? ""), "cancel");
            return;
        }
        rt.Interactive.Consent(flow.UserId!, flow.Parameters.ClientId!.ToLowerInvariant(), flow.ConsentResource!, flow.ConsentScopes);
        flow.ConsentShown = true;
        await SignInFlow.ContinueAsync(ctx, rt, flow, password: null);
    }

    public static async Task SelectAccountAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        if (await FlowOfFormAsync(ctx, rt, FlowStage.AccountPicker) is not var (flow, form)) return;
        if (form["action"].ToString() == "continue" && rt.Interactive.FindSession(BrowserCookies.SessionOf(ctx)) is not null)
            await SignInFlow.ContinueAsync(ctx, rt, flow, password: null);
        else
            await SignInFlow.ShowSignInAsync(ctx, rt, flow, null, null);
    }

    /// <summary>The flow a form belongs to, if its token is live, its canary matches this browser, and it is at that step.</summary>
    private static async Task<(AuthorizeFlow, IFormCollection)?> FlowOfFormAsync(HttpContext ctx, EmulatorRuntime rt, FlowStage stage)
    {
        var form = await TokenRequest.ReadFormOrEmptyAsync(ctx);
        var flow = rt.Interactive.FindFlow(form["flowToken"].ToString());
        if (flow is not null && flow.Stage == stage
            && rt.Interactive.CanaryMatches(BrowserCookies.BrowserIdOf(ctx), flow.Id, form["canary"].ToString()))
            return (flow, form);
        await SignInPages.StopAsync(ctx, rt, "Sorry, but we're having trouble signing you in.", Aadsts.InvalidFlowToken(), 400);
        return null;
    }
}
