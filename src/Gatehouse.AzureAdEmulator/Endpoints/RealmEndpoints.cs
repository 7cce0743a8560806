using System.Net;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Home-realm discovery (§6), MSAL instance discovery (§7.4) and the human error page.</summary>
internal static class RealmEndpoints
{
    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapGet("/common/userrealm/{user}", (HttpContext ctx, string user) => UserRealmAsync(ctx, rt, user));
        app.MapGet("/common/discovery/instance", (HttpContext ctx) => InstanceAsync(ctx));
        app.MapGet("/error", (HttpContext ctx) => ErrorPageAsync(ctx));
    }

    /// <summary>Managed for cloud users and known domains, Federated per user, Unknown for other domains.</summary>
    private static Task UserRealmAsync(HttpContext ctx, EmulatorRuntime rt, string upn)
    {
        var directory = rt.Directory.Snapshot;
        var at = upn.LastIndexOf('@');
        var domain = at >= 0 ? upn[(at + 1)..] : upn;
        var user = directory.FindUserByUpn(upn);
        var tenant = directory.FindTenant(domain);
        var b = RequestIds.BaseUrl(ctx);
        return DiscoveryEndpoints.WriteJsonAsync(ctx, w =>
        {
            w.WriteString("ver", "1.0");
            if (tenant is null)
            {
                w.WriteString("account_type", "Unknown");
            }
            else if (user is { Seed.Federated: true })
            {
                w.WriteString("account_type", "Federated");
                w.WriteString("domain_name", domain.ToLowerInvariant());
                w.WriteString("federation_protocol", "WSTrust");
                w.WriteString("federation_metadata_url", $"{b}adfs/services/trust/mex");
                w.WriteString("federation_active_auth_url", $"{b}adfs/services/trust/2005/usernamemixed");
            }
            else
            {
                w.WriteString("account_type", "Managed");
                w.WriteString("domain_name", domain.ToLowerInvariant());
            }
            w.WriteString("cloud_instance_name", "microsoftonline.com");
            w.WriteString("cloud_audience_urn", "urn:federation:MicrosoftOnline");
        });
    }

    /// <summary>Names the emulator host as its own (only) alias.</summary>
    private static Task InstanceAsync(HttpContext ctx)
    {
        var b = RequestIds.BaseUrl(ctx);
        var host = ctx.Request.Host.Value ?? "localhost";
        var tenant = "common";
        if (Uri.TryCreate(ctx.Request.Query["authorization_endpoint"].ToString(), UriKind.Absolute, out var authorize)
            && authorize.Segments.Length > 1)
            tenant = authorize.Segments[1].TrimEnd('/');
        return DiscoveryEndpoints.WriteJsonAsync(ctx, w =>
        {
            w.WriteString("tenant_discovery_endpoint", $"{b}{tenant}/v2.0/.well-known/openid-configuration");
            w.WriteString("api-version", "1.1");
            w.WriteStartArray("metadata");
            w.WriteStartObject();
            w.WriteString("preferred_network", host);
            w.WriteString("preferred_cache", host);
            DiscoveryEndpoints.Strings(w, "aliases", host);
            w.WriteEndObject();
            w.WriteEndArray();
        });
    }

    private static async Task ErrorPageAsync(HttpContext ctx)
    {
        var code = WebUtility.HtmlEncode(ctx.Request.Query["code"].ToString());
        ctx.Response.ContentType = "text/html; charset=utf-8";
        await ctx.Response.WriteAsync(
            $"<!DOCTYPE html><html><head><title>AADSTS{code}</title></head><body><h1>Error AADSTS{code}</h1>" +
            "<p>Emulated Azure AD error lookup. See the AADSTS code in the token response for details.</p></body></html>",
            ctx.RequestAborted);
    }
}
