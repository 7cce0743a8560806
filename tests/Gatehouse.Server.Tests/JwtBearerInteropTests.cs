using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests;

/// <summary>An ASP.NET Core API protected by the stock JwtBearer handler, pointed at Gatehouse by discovery alone.</summary>
public class JwtBearerInteropTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    private sealed class ProtectedApi : IAsyncDisposable
    {
        private readonly WebApplication _app;

        private ProtectedApi(WebApplication app, string url)
        {
            _app = app;
            Client = new HttpClient { BaseAddress = new Uri(url) };
        }

        public HttpClient Client { get; }

        public static async Task<ProtectedApi> StartAsync(GatehouseTestServer gatehouse, string audience)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(options =>
            {
                options.Authority = gatehouse.Issuer;
                options.Audience = audience;
                options.BackchannelHttpHandler = gatehouse.CreateHandler();
                options.MapInboundClaims = false;
            });
            // A policy on the permissions claim of Auth0's access_token_authz dialect.
            builder.Services.AddAuthorization(o => o.AddPolicy("read:orders", p => p.RequireClaim("permissions", "read:orders")));
            var app = builder.Build();
            app.UseAuthentication();
            app.UseAuthorization();
            app.MapGet("/whoami", (HttpContext context) => new { sub = context.User.FindFirst("sub")?.Value, scope = context.User.FindFirst("scope")?.Value })
                .RequireAuthorization();
            app.MapGet("/orders", () => new { orders = Array.Empty<string>() }).RequireAuthorization("read:orders");
            await app.StartAsync();
            return new ProtectedApi(app, app.Urls.First());
        }

        public async Task<HttpResponseMessage> CallAsync(string? token, string path = "whoami")
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (token is not null)
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return await Client.SendAsync(request);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.DisposeAsync();
        }
    }

    private async Task<string> UserTokenAsync() =>
        (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync())).GetProperty("access_token").GetString()!;

    [Fact]
    public async Task A_policy_on_the_permissions_claim_admits_a_user_only_once_a_role_gives_the_permission()
    {
        const string audience = "https://jwtbearer-rbac.test/";
        await tenant.PostAsync("resource-servers", new
        {
            identifier = audience, name = "JwtBearer RBAC", enforce_policies = true, token_dialect = "access_token_authz",
            scopes = new[] { new { value = "read:orders" } },
        });
        await using var api = await ProtectedApi.StartAsync(tenant.Server, audience);
        async Task<string> TokenAsync() =>
            (await HttpAssert.OkJsonAsync(await tenant.PasswordLoginAsync("read:orders", audience))).GetProperty("access_token").GetString()!;

        Assert.Equal(HttpStatusCode.Forbidden, (await api.CallAsync(await TokenAsync(), "orders")).StatusCode);

        var role = (await HttpAssert.OkJsonAsync(await tenant.Management.PostAsJsonAsync("roles", new { name = "jwtbearer-order-reader" }))).GetProperty("id").GetString();
        await HttpAssert.OkJsonAsync(await tenant.Management.PostAsJsonAsync($"roles/{role}/permissions",
            new { permissions = new[] { new { resource_server_identifier = audience, permission_name = "read:orders" } } }), HttpStatusCode.Created);
        await HttpAssert.OkJsonAsync(await tenant.Management.PostAsJsonAsync($"roles/{role}/users", new { users = new[] { tenant.UserId } }));
        await HttpAssert.OkJsonAsync(await api.CallAsync(await TokenAsync(), "orders"));
    }

    [Fact]
    public async Task JwtBearer_accepts_our_access_tokens_and_refuses_other_audiences()
    {
        await using var api = await ProtectedApi.StartAsync(tenant.Server, TestTenant.ApiAudience);

        var ok = await HttpAssert.OkJsonAsync(await api.CallAsync(await UserTokenAsync()));
        Assert.Equal(tenant.UserId, ok.GetProperty("sub").GetString());
        Assert.Contains("read:things", ok.GetProperty("scope").GetString()!.Split(' '));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CallAsync(null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.CallAsync(await tenant.Server.GetManagementTokenAsync())).StatusCode);
    }

    [Fact]
    public async Task After_key_rotation_old_and_new_tokens_both_verify()
    {
        var before = await UserTokenAsync();
        await using (var api = await ProtectedApi.StartAsync(tenant.Server, TestTenant.ApiAudience))
            Assert.Equal(HttpStatusCode.OK, (await api.CallAsync(before)).StatusCode);

        var rotated = await HttpAssert.OkJsonAsync(await tenant.Management.PostAsync("keys/signing/rotate", null), HttpStatusCode.Created);
        var after = await UserTokenAsync();
        Assert.Equal(rotated.GetProperty("kid").GetString(), new Microsoft.IdentityModel.JsonWebTokens.JsonWebToken(after).Kid);
        var jwks = await tenant.Server.Client.GetFromJsonAsync<JsonElement>(".well-known/jwks.json");
        Assert.Equal(3, jwks.GetProperty("keys").GetArrayLength()); // current, previous and the next one waiting

        // A resource server that starts now reads the JWKS fresh: both keys must be published.
        await using var fresh = await ProtectedApi.StartAsync(tenant.Server, TestTenant.ApiAudience);
        Assert.Equal(HttpStatusCode.OK, (await fresh.CallAsync(before)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fresh.CallAsync(after)).StatusCode);

        // The Management API (validated in-process) also accepts tokens signed before the rotation.
        var keys = await HttpAssert.OkJsonAsync(await tenant.Management.GetAsync("keys/signing"));
        var previous = keys.EnumerateArray().Single(k => k.GetProperty("previous").GetBoolean());
        Assert.False(previous.GetProperty("revoked").GetBoolean());
        Assert.True(previous.TryGetProperty("current_until", out _));
    }
}
