using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Interactive;

/// <summary>
/// v1 <c>/{tenant}/oauth2/authorize</c> and v2 <c>/{tenant}/oauth2/v2.0/authorize</c> (GET or POST). An unknown app or
/// an unregistered redirect_uri gets an error page, never a redirect; every later error goes to the redirect_uri.
/// </summary>
internal static class AuthorizeEndpoint
{
    private static readonly string[] GetOrPost = ["GET", "POST"];

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapMethods("/{tenant}/oauth2/authorize", GetOrPost, (HttpContext ctx, string tenant) => AuthorizeAsync(ctx, rt, tenant, "1.0"));
        app.MapMethods("/{tenant}/oauth2/v2.0/authorize", GetOrPost, (HttpContext ctx, string tenant) => AuthorizeAsync(ctx, rt, tenant, "2.0"));
    }

    private static async Task AuthorizeAsync(HttpContext ctx, EmulatorRuntime rt, string tenant, string version)
    {
        var p = await AuthorizeParameters.ReadAsync(ctx, tenant, version);
        var (pageError, redirectUri) = CheckClientAndRedirect(p, rt.Directory.Snapshot);
        if (pageError is not null)
        {
            await SignInPages.StopAsync(ctx, rt, "Sorry, but we're having trouble signing you in.", pageError, 400);
            return;
        }
        var flow = rt.Interactive.StartFlow(p);
        flow.RedirectUri = redirectUri!;
        if (CheckRequest(p) is { } error)
        {
            rt.Interactive.EndFlow(flow);
            await AuthorizeResponses.ErrorAsync(ctx, rt, flow, error);
            return;
        }

        var session = p.Prompt == "login" ? null : rt.Interactive.FindSession(BrowserCookies.SessionOf(ctx));
        var sessionUser = session is null ? null : rt.Directory.Snapshot.FindUserById(session.UserId);
        // A login_hint naming someone else is not answered with the signed-in account.
        if (sessionUser is not null && p.LoginHint is not null && !string.Equals(p.LoginHint, sessionUser.Upn, StringComparison.OrdinalIgnoreCase))
            sessionUser = null;
        if (sessionUser is null)
        {
            if (p.Prompt == "none")
            {
                rt.Interactive.EndFlow(flow);
                await AuthorizeResponses.ErrorAsync(ctx, rt, flow, Aadsts.SilentNoSession());
                return;
            }
            await SignInFlow.ShowSignInAsync(ctx, rt, flow, p.LoginHint, null);
            return;
        }
        flow.UserId = sessionUser.Id;
        flow.Upn = sessionUser.Upn;
        flow.FromSession = true;
        flow.MfaDone = session!.Mfa;
        if (p.Prompt == "select_account")
        {
            flow.Stage = FlowStage.AccountPicker;
            await SignInPages.AccountPickerAsync(ctx, SignInFlow.PageOf(ctx, rt, flow), sessionUser.Upn);
            return;
        }
        await SignInFlow.ContinueAsync(ctx, rt, flow, password: null);
    }

    /// <summary>The checks answered with a page: tenant, client_id, app, redirect_uri.</summary>
    private static (AadstsError? Error, string? RedirectUri) CheckClientAndRedirect(AuthorizeParameters p, DirectorySnapshot d)
    {
        var segment = p.TenantSegment;
        var anyTenant = segment.Equals("common", StringComparison.OrdinalIgnoreCase) || segment.Equals("organizations", StringComparison.OrdinalIgnoreCase);
        var tenant = anyTenant ? null : d.FindTenant(segment);
        if (!anyTenant && tenant is null) return (Aadsts.TenantNotFound(segment), null);
        if (p.ClientId is null) return (Aadsts.MissingParameter("client_id"), null);
        var app = d.FindApp(p.ClientId);
        if (app is null || (tenant is not null && !string.Equals(app.Seed.TenantId, tenant.Id, StringComparison.OrdinalIgnoreCase)
                            && app.Seed.SignInAudience != SignInAudiences.MultipleOrgs))
            return (Aadsts.AppNotFound(p.ClientId, tenant?.Id ?? segment), null);
        // v1 treats redirect_uri as optional and uses the app's first reply URL; v2 requires it.
        var redirect = p.RedirectUri ?? (p.IsV1 && app.Seed.RedirectUris.Count > 0 ? app.Seed.RedirectUris[0] : null);
        if (redirect is null) return (Aadsts.MissingParameter("redirect_uri"), null);
        if (!RedirectUriRule.IsRegistered(app.Seed.RedirectUris, redirect)) return (Aadsts.InvalidRedirectUri(redirect, app.AppId), null);
        return (null, redirect);
    }

    /// <summary>The checks answered on the redirect_uri.</summary>
    private static AadstsError? CheckRequest(AuthorizeParameters p)
    {
        if (p.ResponseType is null) return Aadsts.MissingParameter("response_type");
        if (p.ResponseType != "code") return Aadsts.ResponseTypeNotEnabled(p.ResponseType);
        if (!p.IsV1 && p.Resource is not null) return Aadsts.ResourceNotSupportedOnV2();
        if (!p.IsV1 && p.Scope is null) return Aadsts.MissingParameter("scope");
        if (!Pkce.IsSupportedMethod(p.CodeChallengeMethod)) return Aadsts.InvalidCodeChallengeMethod(p.CodeChallengeMethod!);
        return null;
    }
}
