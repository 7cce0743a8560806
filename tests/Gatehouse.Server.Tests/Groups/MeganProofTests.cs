using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests.Groups;

/// <summary>
/// Issue 19's proof on the --demo server: Megan (300 groups, past Azure's 200 JWT limit) signs in through contoso-graph,
/// whose mapping gives a role for one of her groups; her access token carries the role's permission, the role and the
/// chosen claims within the cap, and ASP.NET Core's stock JwtBearer with a policy on the permissions claim admits it.
/// </summary>
public sealed class MeganProofTests : IAsyncLifetime
{
    private const string Api = "https://proof.example/orders";
    private const string Ns = "https://gatehouse.example/";
    private GatehouseTestServer _server = null!;
    private HttpClient _management = null!;
    private string _nativeClientId = "";

    public async Task InitializeAsync()
    {
        _server = await GatehouseTestServer.StartAsync(c => { c["Gatehouse:Demo"] = "true"; c["RateLimits:Enabled"] = "false"; });
        _management = await _server.CreateManagementClientAsync();
        var demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_server.DataDir, DemoSeeder.DemoFileName))).RootElement;
        _nativeClientId = demo.GetProperty("native_client_id").GetString()!;
    }

    public async Task DisposeAsync()
    {
        _management.Dispose();
        await _server.DisposeAsync();
    }

    private async Task<JsonElement> PostAsync(string path, object body) => await HttpAssert.OkJsonAsync(await _management.PostAsJsonAsync(path, body), HttpStatusCode.Created);

    [Fact]
    public async Task Megans_token_through_contoso_graph_carries_the_mapped_role_and_chosen_claims_and_jwtbearer_authorizes_it()
    {
        var lead = (await HttpAssert.OkJsonAsync(await _management.PostAsJsonAsync("roles", new { name = "project-lead" }))).GetProperty("id").GetString()!;
        await PostAsync("resource-servers", new
        {
            identifier = Api, name = "Proof orders", enforce_policies = true, token_dialect = "access_token_authz",
            scopes = new[] { new { value = "read:orders", description = "Read" } },
            gatehouse_claims = new
            {
                @namespace = Ns, access_token = new[] { "roles", "groups", "upn", "tid", "oid", "job_title" },
                groups = new { prefix = "Project 0" }, max_groups = 100,
            },
        });
        (await _management.PostAsJsonAsync($"roles/{lead}/permissions", new
        {
            permissions = new[] { new { resource_server_identifier = Api, permission_name = "read:orders" } },
        })).EnsureSuccessStatusCode();
        var graph = (await HttpAssert.OkJsonAsync(await _management.GetAsync("connections?name=contoso-graph")))[0];
        var options = JsonNode.Parse(graph.GetProperty("options").GetRawText())!.AsObject();
        options["gatehouse_role_mappings"] = JsonNode.Parse($$"""[{"group":"Project 042","roles":["{{lead}}"]}]""");
        await HttpAssert.OkJsonAsync(await _management.PatchAsJsonAsync("connections/" + graph.GetProperty("id").GetString(), new { options }));

        var tokens = await HttpAssert.OkJsonAsync(await _server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "http://auth0.com/oauth/grant-type/password-realm", ["client_id"] = _nativeClientId, ["realm"] = "contoso-graph",
            ["username"] = DemoDirectory.Megan, ["password"] = DemoDirectory.PasswordOf(DemoDirectory.Megan), ["audience"] = Api,
            ["scope"] = "openid read:orders",
        })));
        var accessToken = tokens.GetProperty("access_token").GetString()!;
        var access = BrowserTenant.Payload(accessToken);
        Assert.Equal("read:orders", access.GetProperty("permissions")[0].GetString());
        Assert.Equal("project-lead", access.GetProperty(Ns + "roles")[0].GetString());
        Assert.Equal(99, access.GetProperty(Ns + "groups").GetArrayLength()); // Project 001..099 of her 301 groups, under the cap of 100
        Assert.False(access.TryGetProperty(Ns + "groups_overage", out _));
        Assert.Equal(DemoDirectory.Megan, access.GetProperty(Ns + "upn").GetString(), ignoreCase: true);
        Assert.Equal(DemoDirectory.TenantId, access.GetProperty(Ns + "tid").GetString());
        Assert.Equal(DemoDirectory.MeganId, access.GetProperty(Ns + "oid").GetString());
        Assert.Equal("Marketing Manager", access.GetProperty(Ns + "job_title").GetString());
        Assert.True(accessToken.Length < 8 * 1024, $"a token of {accessToken.Length} characters");

        await using var api = await ProtectedApiAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, "orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var answer = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("project-lead", (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("role").GetString());
    }

    /// <summary>A tiny API on the stock JwtBearer handler, configured from Gatehouse's discovery document alone.</summary>
    private async Task<TinyApi> ProtectedApiAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.Authority = _server.Issuer;
            o.Audience = Api;
            o.BackchannelHttpHandler = _server.CreateHandler();
            o.MapInboundClaims = false;
        });
        builder.Services.AddAuthorization(o => o.AddPolicy("read:orders", p => p.RequireClaim("permissions", "read:orders")));
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/orders", (HttpContext context) => new { role = context.User.FindFirst(Ns + "roles")?.Value }).RequireAuthorization("read:orders");
        await app.StartAsync();
        return new TinyApi(app, new HttpClient { BaseAddress = new Uri(app.Urls.First() + "/") });
    }

    private sealed record TinyApi(WebApplication App, HttpClient Client) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await App.DisposeAsync();
        }
    }
}
