using Gatehouse.AzureAd.Emulator.Endpoints;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// The device code flow's user side (Entra's microsoft.com/devicelogin): enter the user code, confirm which app asks,
/// then the browser flow's own sign-in, MFA, consent and Conditional Access steps (<see cref="SignInFlow"/>), ending
/// on a "you may close this window" page instead of a redirect. The polling app learns the outcome at its next poll.
/// </summary>
internal static class DeviceLoginEndpoint
{
    /// <summary>The code form's canary is bound to the browser and this fixed purpose (there is no flow yet).</summary>
    private const string CodeFormPurpose = "devicelogin";

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapGet("/devicelogin", (HttpContext ctx) => ShowCodeFormAsync(ctx, rt, null));
        app.MapPost("/devicelogin", (HttpContext ctx) => EnterCodeAsync(ctx, rt));
        app.MapPost("/devicelogin/confirm", (HttpContext ctx) => ConfirmAsync(ctx, rt));
    }

    private static Task ShowCodeFormAsync(HttpContext ctx, EmulatorRuntime rt, string? error) =>
        SignInPages.DeviceCodeAsync(ctx, rt.Interactive.Canary(BrowserCookies.EnsureBrowserId(ctx), CodeFormPurpose), error);

    private static async Task EnterCodeAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        var form = await TokenRequest.ReadFormOrEmptyAsync(ctx);
        var browser = BrowserCookies.BrowserIdOf(ctx);
        if (!rt.Interactive.CanaryMatches(browser, CodeFormPurpose, form["canary"].ToString()))
        {
            await SignInPages.StopAsync(ctx, rt, "Sorry, but we're having trouble signing you in.", Aadsts.InvalidFlowToken(), 400);
            return;
        }
        var codes = rt.DeviceCodes;
        // Nine characters from 32 resist guessing only with a cap: past it even a right code is not looked up.
        if (codes.AttemptsExhausted(browser!))
        {
            await ShowCodeFormAsync(ctx, rt, "You've entered too many incorrect codes. Wait a few minutes and try again.");
            return;
        }
        var entry = codes.FindByUserCode(form["otc"].ToString());
        if (entry is null)
        {
            codes.RecordWrongCode(browser!);
            await ShowCodeFormAsync(ctx, rt, "That code didn't work. Check the code and try again.");
            return;
        }
        if (!entry.IsPending(codes.Now))
        {
            await ShowCodeFormAsync(ctx, rt, entry.ExpiresAt <= codes.Now
                ? "That code has expired. Go back to your app or device and get a new code."
                : $"AADSTS{Aadsts.DeviceCodeAlreadyUsed().Code}: {Aadsts.DeviceCodeAlreadyUsed().Message}");
            return;
        }
        var r = entry.Request;
        var flow = rt.Interactive.StartFlow(new AuthorizeParameters
        {
            Version = r.Version, TenantSegment = r.TenantSegment, ClientId = r.ClientId, Scope = r.Scope, Resource = r.Resource,
        });
        flow.Device = entry;
        flow.Stage = FlowStage.DeviceConfirm;
        await SignInPages.DeviceConfirmAsync(ctx, SignInFlow.PageOf(ctx, rt, flow), r.AppName);
    }

    /// <summary>Continue: the browser's session (account picker) or the sign-in page. Cancel: declined at the poller.</summary>
    private static async Task ConfirmAsync(HttpContext ctx, EmulatorRuntime rt)
    {
        if (await SignInForms.FlowOfFormAsync(ctx, rt, FlowStage.DeviceConfirm) is not var (flow, form)) return;
        if (form["action"].ToString() != "continue")
        {
            await SignInFlow.EndWithErrorAsync(ctx, rt, flow, Aadsts.UserCancelledDeviceSignIn());
            return;
        }
        var session = rt.Interactive.FindSession(BrowserCookies.SessionOf(ctx));
        var user = session is null ? null : rt.Directory.Snapshot.FindUserById(session.UserId);
        if (user is null)
        {
            await SignInFlow.ShowSignInAsync(ctx, rt, flow, null, null);
            return;
        }
        flow.UserId = user.Id;
        flow.Upn = user.Upn;
        flow.FromSession = true;
        flow.MfaDone = session!.Mfa;
        flow.Stage = FlowStage.AccountPicker;
        await SignInPages.AccountPickerAsync(ctx, SignInFlow.PageOf(ctx, rt, flow), user.Upn);
    }

    /// <summary>Every step passed: the device code is approved for this user (and MFA state), once.</summary>
    public static Task ApprovedAsync(HttpContext ctx, EmulatorRuntime rt, DeviceAuthorization device, User user, bool mfa)
    {
        if (!device.Approve(user.Id, user.Tenant.Id, mfa, rt.Time.GetUtcNow()))
        {
            var error = device.ExpiresAt <= rt.Time.GetUtcNow() ? Aadsts.DeviceCodeExpired() : Aadsts.DeviceCodeAlreadyUsed();
            return SignInPages.StopAsync(ctx, rt, "Sorry, but we're having trouble signing you in.", error, 200);
        }
        return SignInPages.DeviceSignedInAsync(ctx, device.Request.AppName);
    }

    /// <summary>
    /// The sign-in ended without approval. The user's own refusals (Cancel, declined consent, failed MFA) reach the
    /// poller as authorization_declined with the reason's AADSTS code; other refusals (e.g. 50105) as they are.
    /// </summary>
    public static Task DeclinedAsync(HttpContext ctx, EmulatorRuntime rt, DeviceAuthorization device, AadstsError error)
    {
        device.Refuse(error.Error is "access_denied" or "authorization_declined" ? Aadsts.DeviceFlowDeclined(error) : error);
        return SignInPages.StopAsync(ctx, rt, "Sign-in was not completed", error, 200);
    }
}
