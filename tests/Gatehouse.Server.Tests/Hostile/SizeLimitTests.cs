using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Core.Grants;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hostile;

/// <summary>Bodies, headers and parameters past their limits: a 4xx in the API's shape, nothing changed, nothing sent upstream.</summary>
[Collection(DemoTenantCollection.Name)]
public class SizeLimitTests(DemoTenant tenant)
{
    private async Task RefusedWithoutChangesAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, Task> assert)
    {
        tenant.Emulator.SignInLog.Clear();
        var before = await tenant.SnapshotAsync();
        await assert(await send());
        Assert.Equal(before, await tenant.SnapshotAsync());
        Assert.Empty(tenant.Emulator.SignInLog.Entries);
    }

    /// <summary>A body sent in chunks: no Content-Length for the server to refuse it by up front.</summary>
    private sealed class ChunkedContent(byte[] bytes, string contentType) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < bytes.Length; offset += 16 * 1024)
                await stream.WriteAsync(bytes.AsMemory(offset, Math.Min(16 * 1024, bytes.Length - offset)));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }

        public ChunkedContent Typed()
        {
            Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
            return this;
        }
    }

    [Fact]
    public Task A_chunked_token_body_over_64_KB_is_413() => RefusedWithoutChangesAsync(
        () => tenant.Server.Client.PostAsync("oauth/token", new ChunkedContent(Encoding.ASCII.GetBytes("grant_type=password&pad=" + new string('a', 70_000)), "application/x-www-form-urlencoded").Typed()),
        r => HttpAssert.OAuthErrorAsync(r, 413, "invalid_request"));

    [Fact]
    public async Task A_chunked_management_body_over_1_MB_is_413()
    {
        using var management = await tenant.Server.CreateManagementClientAsync();
        await RefusedWithoutChangesAsync(
            () => management.PostAsync("clients", new ChunkedContent(Encoding.ASCII.GetBytes("{\"name\":\"" + new string('a', 1_100_000) + "\"}"), "application/json").Typed()),
            async r => Assert.StartsWith("Payload content length greater than maximum allowed", await HttpAssert.ManagementErrorAsync(r, 413, "payload_too_large"), StringComparison.Ordinal));
    }

    [Fact]
    public Task Headers_over_32_KB_are_refused_by_the_server() => RefusedWithoutChangesAsync(
        () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent([]) };
            request.Headers.Add("X-Padding", new string('a', 40 * 1024));
            return tenant.Server.Client.SendAsync(request);
        },
        r =>
        {
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, r.StatusCode);
            return Task.CompletedTask;
        });

    [Fact]
    public Task More_than_100_headers_are_refused_by_the_server() => RefusedWithoutChangesAsync(
        () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent([]) };
            for (var i = 0; i < 120; i++)
                request.Headers.Add($"X-Header-{i}", "x");
            return tenant.Server.Client.SendAsync(request);
        },
        r =>
        {
            Assert.Equal(HttpStatusCode.RequestHeaderFieldsTooLarge, r.StatusCode);
            return Task.CompletedTask;
        });

    [Fact]
    public Task A_request_line_over_8_KB_is_refused_by_the_server() => RefusedWithoutChangesAsync(
        () => tenant.Server.Client.GetAsync("api/v2/users?q=" + new string('a', 9 * 1024)),
        r =>
        {
            Assert.Equal(HttpStatusCode.RequestUriTooLong, r.StatusCode);
            return Task.CompletedTask;
        });

    public static TheoryData<string> CappedParameters => new(TokenRequestLimits.Caps.Keys);

    [Theory]
    [MemberData(nameof(CappedParameters))]
    public async Task Every_capped_parameter_one_past_its_cap_is_400_before_any_lookup(string name)
    {
        var cap = TokenRequestLimits.Caps[name];
        var parameters = new Dictionary<string, string>
        {
            ["grant_type"] = DemoTenant.PasswordRealmGrant,
            ["client_id"] = tenant.NativeClientId,
            ["realm"] = DemoTenant.WaadRealm,
            ["username"] = "AdeleV@contoso.com",
            ["password"] = "P@ssw0rd-adele",
            [name] = new string('a', cap + 1),
        };
        var logs = await tenant.LogCountAsync();
        await RefusedWithoutChangesAsync(
            () => tenant.TokenAsync([.. parameters.Select(p => (p.Key, p.Value))]),
            r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", $"Parameter '{name}' is longer than {cap} characters."));
        Assert.Equal(logs, await tenant.LogCountAsync());
    }

    [Fact]
    public Task Too_many_parameters_are_400() => RefusedWithoutChangesAsync(
        () => tenant.TokenAsync([("grant_type", "password"), .. Enumerable.Range(0, TokenRequestLimits.MaxParameters).Select(i => ($"extra{i}", "x"))]),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", $"The request has more than {TokenRequestLimits.MaxParameters} parameters."));

    [Fact]
    public Task An_over_long_client_id_in_the_basic_header_is_400() => RefusedWithoutChangesAsync(
        () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent([KeyValuePair.Create("grant_type", "client_credentials")]) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(new string('c', 200) + ":secret")));
            return tenant.Server.Client.SendAsync(request);
        },
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Parameter 'client_id' is longer than 128 characters."));

    [Fact]
    public Task An_over_long_token_to_revoke_is_400() => RefusedWithoutChangesAsync(
        () => tenant.Server.Client.PostAsync("oauth/revoke", new FormUrlEncodedContent([KeyValuePair.Create("client_id", tenant.NativeClientId), KeyValuePair.Create("token", new string('t', 513))])),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Parameter 'token' is longer than 512 characters."));

    [Fact]
    public Task An_over_long_grant_type_at_oauth_ro_is_400_without_echo() => RefusedWithoutChangesAsync(
        () => tenant.Server.Client.PostAsync("oauth/ro", new FormUrlEncodedContent([KeyValuePair.Create("grant_type", new string('g', 129))])),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Parameter 'grant_type' is longer than 128 characters."));

    [Fact]
    public void The_reader_only_parses_the_limits_are_the_pipelines()
    {
        var (request, error) = Authentication.TokenRequestReader.Parse(Encoding.UTF8.GetBytes("grant_type=password&username=" + new string('u', 2000)),
            "application/x-www-form-urlencoded", null);
        Assert.Null(error);
        Assert.Equal(2000, request!["username"]!.Length);
    }
}
