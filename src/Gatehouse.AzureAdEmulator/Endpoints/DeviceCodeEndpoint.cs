using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Interactive;
using Gatehouse.AzureAd.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>
/// v1 <c>/{tenant}/oauth2/devicecode</c> (<c>resource</c>; <c>verification_url</c>, numbers as strings) and v2
/// <c>/{tenant}/oauth2/v2.0/devicecode</c> (<c>scope</c>; <c>verification_uri</c>, integers): interactive-flows.md §6.1.
/// The user then signs in on <c>{host}/devicelogin</c> while the app polls the token endpoint.
/// </summary>
internal static class DeviceCodeEndpoint
{
    private static readonly string[] OtherMethods = ["GET", "PUT", "DELETE", "PATCH", "HEAD"];

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapPost("/{tenant}/oauth2/devicecode", (HttpContext ctx, string tenant) => HandleAsync(ctx, rt, tenant, "1.0"));
        app.MapPost("/{tenant}/oauth2/v2.0/devicecode", (HttpContext ctx, string tenant) => HandleAsync(ctx, rt, tenant, "2.0"));
        app.MapMethods("/{tenant}/oauth2/devicecode", OtherMethods, (HttpContext ctx) => PostOnlyAsync(ctx, rt));
        app.MapMethods("/{tenant}/oauth2/v2.0/devicecode", OtherMethods, (HttpContext ctx) => PostOnlyAsync(ctx, rt));
    }

    private static Task PostOnlyAsync(HttpContext ctx, EmulatorRuntime rt) =>
        AadstsErrorWriter.WriteAsync(ctx, Aadsts.PostOnly(ctx.Request.Method), rt.Directory.Settings, rt.Time);

    private static async Task HandleAsync(HttpContext ctx, EmulatorRuntime rt, string tenant, string version)
    {
        var request = await TokenRequest.ReadAsync(ctx, tenant, version);
        var (error, app) = Check(rt, request);
        if (error is not null)
        {
            await AadstsErrorWriter.WriteAsync(ctx, error, rt.Directory.Settings, rt.Time);
            return;
        }
        var entry = rt.DeviceCodes.Create(new DeviceRequest(
            version, tenant, app!.AppId, app.Seed.DisplayName, request.IsV1 ? null : request.Scope, request.IsV1 ? request.Resource : null));
        await WriteAsync(ctx, entry, request.IsV1);
    }

    /// <summary>
    /// Parameters, tenant, client (the token endpoint's check: a confidential app must authenticate, a public one
    /// must not send a secret) and, for a named tenant, the resource. On common/organizations the user's tenant is
    /// only known at sign-in, where the resource is judged again.
    /// </summary>
    private static (AadstsError? Error, App? App) Check(EmulatorRuntime rt, TokenRequest r)
    {
        var d = rt.Directory.Snapshot;
        var segment = r.TenantSegment;
        var anyTenant = segment.Equals("common", StringComparison.OrdinalIgnoreCase) || segment.Equals("organizations", StringComparison.OrdinalIgnoreCase);
        if (segment.Equals("consumers", StringComparison.OrdinalIgnoreCase)) return (Aadsts.CommonNotSupported(), null);
        if (!anyTenant && d.FindTenant(segment) is null) return (Aadsts.TenantNotFound(segment), null);
        if (r.ClientId is null) return (Aadsts.MissingParameter("client_id"), null);
        if (!r.IsV1 && r.Scope is null) return (Aadsts.MissingParameter("scope"), null);
        if (r.IsV1 && r.Resource is null) return (Aadsts.MissingParameter("resource"), null);

        var c = new SignInContext
        {
            Directory = d, Request = r, Lockout = rt.Directory.Lockout, Now = rt.Time.GetUtcNow(),
        };
        if (anyTenant)
        {
            c.Client = d.FindApp(r.ClientId);
            c.Tenant = c.Client is null ? null : d.FindTenant(c.Client.Seed.TenantId);
            if (c.Tenant is null) return (Aadsts.AppNotFound(r.ClientId, segment), null);
        }
        else
        {
            SignInResolver.Resolve(c, rt.RefreshTokens, rt.Interactive);
            if (c.TenantError is not null) return (c.TenantError, null);
        }
        if (SignInChecks.Client(c) is { } clientError) return (clientError, null);
        if (!anyTenant && c.ResourceError is not null) return (c.ResourceError, null);
        return (null, c.Client);
    }

    private static async Task WriteAsync(HttpContext ctx, DeviceAuthorization entry, bool v1)
    {
        var uri = RequestIds.BaseUrl(ctx) + "devicelogin";
        var expiresIn = (int)DeviceCodes.Lifetime.TotalSeconds;
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("user_code", entry.UserCode);
            w.WriteString("device_code", entry.DeviceCode);
            if (v1)
            {
                w.WriteString("verification_url", uri);
                w.WriteString("expires_in", expiresIn.ToString(CultureInfo.InvariantCulture));
                w.WriteString("interval", DeviceCodes.Interval.ToString(CultureInfo.InvariantCulture));
                w.WriteString("message", $"To sign in, use a web browser to open the page {uri}. Enter the code {entry.UserCode} to authenticate.");
            }
            else
            {
                w.WriteString("verification_uri", uri);
                w.WriteNumber("expires_in", expiresIn);
                w.WriteNumber("interval", DeviceCodes.Interval);
                w.WriteString("message", $"To sign in, use a web browser to open the page {uri} and enter the code {entry.UserCode} to authenticate.");
            }
            w.WriteEndObject();
        }
        StsHeaders.NoStore(ctx);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = buffer.WrittenCount;
        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
    }
}
