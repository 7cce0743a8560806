using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Tokens;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>The 200 token response: v1 numbers as strings (§2.2), v2 as integers (§3.2).</summary>
internal static class TokenResponseWriter
{
    public static async Task WriteAsync(HttpContext ctx, SignInContext c, IssuedTokens tokens, EmulatorRuntime rt)
    {
        var now = rt.Time.GetUtcNow().ToUnixTimeSeconds();
        var expiresIn = Math.Max(0, tokens.ExpiresAt - now);
        var r = c.Request;
        var user = c.User!;
        var refresh = r.IsV1 || c.OidcScopes.Contains("offline_access")
            ? rt.RefreshTokens.Create(new RefreshGrant(user.Tenant.Id, user.Id, c.Client!.AppId, c.Resource!.AppId, c.Now,
                c.Refresh?.AuthTime ?? c.Now))
            : null;
        var scopes = c.GrantedScopes();

        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("token_type", "Bearer");
            if (r.IsV1)
            {
                w.WriteString("scope", string.Join(' ', scopes));
                w.WriteString("expires_in", expiresIn.ToString(CultureInfo.InvariantCulture));
                w.WriteString("ext_expires_in", expiresIn.ToString(CultureInfo.InvariantCulture));
                w.WriteString("expires_on", tokens.ExpiresAt.ToString(CultureInfo.InvariantCulture));
                w.WriteString("not_before", tokens.IssuedAt.ToString(CultureInfo.InvariantCulture));
                w.WriteString("resource", c.Audience);
            }
            else
            {
                w.WriteString("scope", V2Scope(c, scopes));
                w.WriteNumber("expires_in", expiresIn);
                w.WriteNumber("ext_expires_in", expiresIn);
            }
            w.WriteString("access_token", tokens.AccessToken);
            if (refresh is not null) w.WriteString("refresh_token", refresh);
            if (tokens.IdToken is not null) w.WriteString("id_token", tokens.IdToken);
            if (r.ClientInfo) w.WriteString("client_info", ClientInfo(user.Id, user.Tenant.Id));
            w.WriteEndObject();
        }
        StsHeaders.NoStore(ctx);
        ctx.Response.StatusCode = 200;
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.ContentLength = buffer.WrittenCount;
        await ctx.Response.Body.WriteAsync(buffer.WrittenMemory, ctx.RequestAborted);
    }

    /// <summary>v2 names the granted scopes (qualified for non-Graph APIs) and adds profile openid email.</summary>
    private static string V2Scope(SignInContext c, IReadOnlyList<string> scopes)
    {
        var parts = scopes.Select(c.Resource!.QualifyScope).ToList();
        if (parts.Count == 0) parts.AddRange(c.OidcScopes.Where(s => s != "offline_access"));
        else if (c.OidcScopes.Overlaps(["openid", "profile", "email"])) parts.AddRange(["profile", "openid", "email"]);
        return string.Join(' ', parts.Distinct(StringComparer.OrdinalIgnoreCase));
    }

    private static string ClientInfo(string oid, string tid)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("uid", oid);
            w.WriteString("utid", tid);
            w.WriteEndObject();
        }
        return Base64Url.EncodeToString(buffer.WrittenSpan);
    }
}
