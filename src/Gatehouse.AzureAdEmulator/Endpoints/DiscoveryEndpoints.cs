using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Errors;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Tokens;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>OpenID configuration v1/v2 (§7.1, §7.2) and JWKS (§7.3) with the emulator's base URL.</summary>
internal static class DiscoveryEndpoints
{
    private const string MsaTenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapGet("/{tenant}/.well-known/openid-configuration", (HttpContext ctx, string tenant) => V1ConfigurationAsync(ctx, rt, tenant));
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", (HttpContext ctx, string tenant) => V2ConfigurationAsync(ctx, rt, tenant));
        app.MapGet("/{tenant}/discovery/keys", (HttpContext ctx, string tenant) => KeysAsync(ctx, rt, tenant, null));
        app.MapGet("/{tenant}/discovery/v2.0/keys", (HttpContext ctx, string tenant) => KeysAsync(ctx, rt, tenant, "2.0"));
    }

    /// <summary>The tenant id for a path segment: a GUID or domain of a known tenant, or a template for the shared ones.</summary>
    private static string? TenantIdFor(EmulatorRuntime rt, string segment) => segment.ToLowerInvariant() switch
    {
        "common" or "organizations" => "{tenantid}",
        "consumers" => MsaTenantId,
        _ => rt.Directory.Snapshot.FindTenant(segment)?.Id,
    };

    private static Task V1ConfigurationAsync(HttpContext ctx, EmulatorRuntime rt, string tenant)
    {
        var tid = TenantIdFor(rt, tenant);
        if (tid is null) return AadstsErrorWriter.WriteAsync(ctx, Aadsts.TenantNotFoundInDiscovery(tenant), rt.Directory.Settings, rt.Time);
        var b = RequestIds.BaseUrl(ctx);
        var path = tid == "{tenantid}" ? tenant.ToLowerInvariant() : tid;
        return WriteJsonAsync(ctx, w =>
        {
            w.WriteString("token_endpoint", $"{b}{path}/oauth2/token");
            Strings(w, "token_endpoint_auth_methods_supported", "client_secret_post", "private_key_jwt", "client_secret_basic");
            w.WriteString("jwks_uri", $"{b}common/discovery/keys");
            Strings(w, "response_modes_supported", "query", "fragment", "form_post");
            Strings(w, "subject_types_supported", "pairwise");
            Strings(w, "id_token_signing_alg_values_supported", "RS256");
            w.WriteBoolean("http_logout_supported", true);
            w.WriteBoolean("frontchannel_logout_supported", true);
            w.WriteString("end_session_endpoint", $"{b}{path}/oauth2/logout");
            Strings(w, "response_types_supported", "code", "id_token", "code id_token", "token id_token", "token");
            Strings(w, "scopes_supported", "openid");
            w.WriteString("issuer", TokenFactory.IssuerFor("1.0", tid, b));
            Strings(w, "claims_supported", "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "amr", "nonce", "email", "given_name", "family_name", "nickname");
            w.WriteBoolean("microsoft_multi_refresh_token", true);
            w.WriteString("check_session_iframe", $"{b}{path}/oauth2/checksession");
            w.WriteString("userinfo_endpoint", $"{b}{path}/openid/userinfo");
            w.WriteString("authorization_endpoint", $"{b}{path}/oauth2/authorize");
            w.WriteString("device_authorization_endpoint", $"{b}{path}/oauth2/devicecode");
            w.WriteString("tenant_region_scope", "WW");
            w.WriteString("cloud_instance_name", "microsoftonline.com");
            w.WriteString("cloud_graph_host_name", "graph.windows.net");
            w.WriteString("msgraph_host", "graph.microsoft.com");
            w.WriteString("rbac_url", "https://pas.windows.net");
        });
    }

    private static Task V2ConfigurationAsync(HttpContext ctx, EmulatorRuntime rt, string tenant)
    {
        var tid = TenantIdFor(rt, tenant);
        if (tid is null) return AadstsErrorWriter.WriteAsync(ctx, Aadsts.TenantNotFoundInDiscovery(tenant), rt.Directory.Settings, rt.Time);
        var b = RequestIds.BaseUrl(ctx);
        var shared = tid == "{tenantid}" || tid == MsaTenantId;
        var path = shared ? tenant.ToLowerInvariant() : tid;
        return WriteJsonAsync(ctx, w =>
        {
            w.WriteString("token_endpoint", $"{b}{path}/oauth2/v2.0/token");
            Strings(w, "token_endpoint_auth_methods_supported", "client_secret_post", "private_key_jwt", "client_secret_basic");
            w.WriteString("jwks_uri", $"{b}{path}/discovery/v2.0/keys");
            Strings(w, "response_modes_supported", "query", "fragment", "form_post");
            Strings(w, "subject_types_supported", "pairwise");
            Strings(w, "id_token_signing_alg_values_supported", "RS256");
            Strings(w, "response_types_supported", "code", "id_token", "code id_token", "id_token token");
            Strings(w, "scopes_supported", "openid", "profile", "email", "offline_access");
            w.WriteString("issuer", TokenFactory.IssuerFor("2.0", tid, b));
            w.WriteBoolean("request_uri_parameter_supported", false);
            w.WriteString("userinfo_endpoint", $"{b}oidc/userinfo");
            w.WriteString("authorization_endpoint", $"{b}{path}/oauth2/v2.0/authorize");
            w.WriteString("device_authorization_endpoint", $"{b}{path}/oauth2/v2.0/devicecode");
            w.WriteBoolean("http_logout_supported", true);
            w.WriteBoolean("frontchannel_logout_supported", true);
            w.WriteString("end_session_endpoint", $"{b}{path}/oauth2/v2.0/logout");
            Strings(w, "claims_supported", "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email");
            w.WriteString("kerberos_endpoint", $"{b}{path}/kerberos");
            if (shared) w.WriteNull("tenant_region_scope"); else w.WriteString("tenant_region_scope", "WW");
            w.WriteString("cloud_instance_name", "microsoftonline.com");
            w.WriteString("cloud_graph_host_name", "graph.windows.net");
            w.WriteString("msgraph_host", "graph.microsoft.com");
            w.WriteString("rbac_url", "https://pas.windows.net");
        });
    }

    private static Task KeysAsync(HttpContext ctx, EmulatorRuntime rt, string tenant, string? version)
    {
        var tid = TenantIdFor(rt, tenant);
        if (tid is null) return AadstsErrorWriter.WriteAsync(ctx, Aadsts.TenantNotFoundInDiscovery(tenant), rt.Directory.Settings, rt.Time);
        var issuer = version == "2.0" ? TokenFactory.IssuerFor("2.0", tid, RequestIds.BaseUrl(ctx)) : null;
        return WriteJsonAsync(ctx, w =>
        {
            w.WriteStartArray("keys");
            foreach (var key in rt.Keys.Published)
            {
                w.WriteStartObject();
                w.WriteString("kty", "RSA");
                w.WriteString("use", "sig");
                w.WriteString("kid", key.Kid);
                w.WriteString("x5t", key.Kid);
                w.WriteString("n", key.Modulus);
                w.WriteString("e", key.Exponent);
                Strings(w, "x5c", key.X5c);
                if (issuer is not null) w.WriteString("issuer", issuer);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    internal static void Strings(Utf8JsonWriter w, string name, params string[] values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    internal static async Task WriteJsonAsync(HttpContext ctx, Action<Utf8JsonWriter> body)
    {
        StsHeaders.Cacheable(ctx);
        ctx.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream(2048);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        await ctx.Response.Body.WriteAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ctx.RequestAborted);
    }
}
