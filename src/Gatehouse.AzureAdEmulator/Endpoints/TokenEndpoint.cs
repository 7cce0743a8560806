using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Faults;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Interactive;
using Gatehouse.AzureAd.Emulator.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>v1 <c>/{tenant}/oauth2/token</c> and v2 <c>/{tenant}/oauth2/v2.0/token</c>: password, refresh_token and authorization_code grants.</summary>
internal static class TokenEndpoint
{
    private static readonly string[] OtherMethods = ["GET", "PUT", "DELETE", "PATCH", "HEAD"];

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapPost("/{tenant}/oauth2/token", (HttpContext ctx, string tenant) => HandleAsync(ctx, rt, tenant, "1.0"));
        app.MapPost("/{tenant}/oauth2/v2.0/token", (HttpContext ctx, string tenant) => HandleAsync(ctx, rt, tenant, "2.0"));
        app.MapMethods("/{tenant}/oauth2/token", OtherMethods, (HttpContext ctx) => PostOnlyAsync(ctx, rt));
        app.MapMethods("/{tenant}/oauth2/v2.0/token", OtherMethods, (HttpContext ctx) => PostOnlyAsync(ctx, rt));
    }

    private static Task PostOnlyAsync(HttpContext ctx, EmulatorRuntime rt) =>
        AadstsErrorWriter.WriteAsync(ctx, Aadsts.PostOnly(ctx.Request.Method), rt.Directory.Settings, rt.Time);

    private static async Task HandleAsync(HttpContext ctx, EmulatorRuntime rt, string tenant, string version)
    {
        var directory = rt.Directory.Snapshot;
        var request = await TokenRequest.ReadAsync(ctx, tenant, version);
        var context = new SignInContext
        {
            Directory = directory, Request = request, Lockout = rt.Directory.Lockout, Now = rt.Time.GetUtcNow(),
        };
        var error = CheckParameters(request);
        if (error is null)
        {
            SignInResolver.Resolve(context, rt.RefreshTokens, rt.Interactive);
            error = SignInChecks.Run(context);
            // Consumed only now, atomically: of two concurrent redemptions exactly one gets tokens.
            if (error is null && context.Code is not null && !InteractiveState.TryRedeem(context.Code)) error = Aadsts.CodeRedeemed();
        }
        if (error is not null)
        {
            Log(ctx, rt, context, error.Code, error.Error);
            await AadstsErrorWriter.WriteAsync(ctx, error, directory.Settings, rt.Time);
            return;
        }
        await TokenResponseWriter.WriteAsync(ctx, context, Issue(ctx, rt, context), rt);
        Log(ctx, rt, context, 0, null);
    }

    /// <summary>§11.3 step 1: grant_type, client_id and the grant's own parameters must be present.</summary>
    private static AadstsError? CheckParameters(TokenRequest r)
    {
        if (r.GrantType is null) return Aadsts.MissingParameter("grant_type");
        if (r.GrantType is not ("password" or "refresh_token" or "authorization_code")) return Aadsts.UnsupportedGrantType(r.GrantType);
        if (r.ClientId is null) return Aadsts.MissingParameter("client_id");
        if (r.GrantType == "refresh_token") return r.RefreshToken is null ? Aadsts.MissingParameter("refresh_token") : null;
        if (r.GrantType == "authorization_code")
            return r.Code is null ? Aadsts.MissingParameter("code") : r.RedirectUri is null ? Aadsts.MissingParameter("redirect_uri") : null;
        if (r.Username is null) return Aadsts.MissingParameter("username");
        if (string.IsNullOrEmpty(r.Password)) return Aadsts.MissingParameter("password");
        if (r.IsV1 && r.Resource is null) return Aadsts.MissingParameter("resource");
        return null;
    }

    private static IssuedTokens Issue(HttpContext ctx, EmulatorRuntime rt, SignInContext c)
    {
        var scopes = c.GrantedScopes();
        if (scopes.Count == 0) scopes = [.. c.OidcScopes.Where(s => s != "offline_access")];
        var code = c.Code?.Grant;
        var idToken = c.Request.IsV1
            ? $"{c.Request.Scope} {code?.Scope}".Split(' ').Contains("openid")
            : c.OidcScopes.Contains("openid");
        var issue = new IssueRequest
        {
            Directory = c.Directory, User = c.User!, Client = c.Client!, Resource = c.Resource!, Audience = c.Audience,
            Scopes = scopes, EndpointVersion = c.Request.Version, IncludeIdToken = idToken,
            EmailScope = c.OidcScopes.Contains("email"), ClientAuthenticated = c.ClientAuthenticated,
            BaseUrl = RequestIds.BaseUrl(ctx), IpAddress = ctx.Connection.RemoteIpAddress?.ToString(),
            Tampering = FaultMiddleware.TamperingFor(ctx),
            Amr = code is { Mfa: true } ? ["pwd", "mfa"] : ["pwd"], Nonce = code?.Nonce,
        };
        // A code's tokens carry its nonce and amr: never shared with another sign-in.
        if (issue.Tampering is not null || !c.Directory.Settings.ReuseTokens || code is not null) return rt.Tokens.Issue(issue);
        var key = new TokenCache.Key(
            c.Directory.Generation, rt.Keys.Current.Kid, issue.BaseUrl, issue.EndpointVersion, issue.Client.AppId,
            issue.User.Id, issue.Audience, string.Join(' ', scopes), idToken, issue.EmailScope, issue.ClientAuthenticated);
        return rt.Cache.GetOrIssue(key, () => rt.Tokens.Issue(issue));
    }

    private static void Log(HttpContext ctx, EmulatorRuntime rt, SignInContext c, int code, string? error)
    {
        var ids = RequestIds.Of(ctx);
        var r = c.Request;
        rt.SignInLog.Add(new SignInLogEntry(
            rt.Time.GetUtcNow(), c.Tenant?.Id ?? r.TenantSegment, c.User?.Upn ?? r.Username, r.ClientId,
            r.IsV1 ? r.Resource : c.Resource?.PrimaryUri, r.Scope, r.Version, r.GrantType, code, error,
            ids.CorrelationId, ids.TraceId));
    }
}
