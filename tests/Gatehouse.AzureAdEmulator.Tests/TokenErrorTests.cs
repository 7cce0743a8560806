using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>AADSTS errors: exact JSON shape (§5.1, §11.3 step 7) and the code for each case (§11.3).</summary>
public sealed partial class TokenErrorTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private StsClient Sts => fixture.Sts;

    [Fact]
    public async Task Error_json_has_the_exact_entra_shape()
    {
        var correlation = Guid.NewGuid().ToString();
        var reply = await Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            [("grant_type", "password"), ("client_id", DemoDirectory.NativeAppId), ("scope", "openid"),
             ("username", DemoDirectory.Adele), ("password", "nope")],
            new Dictionary<string, string> { ["client-request-id"] = correlation, ["return-client-request-id"] = "true" });

        Assert.Equal(400, (int)reply.Status);
        var json = reply.Json;
        Assert.Equal(["error", "error_description", "error_codes", "timestamp", "trace_id", "correlation_id", "error_uri"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("invalid_grant", reply.Error);
        Assert.Equal(JsonValueKind.Number, json.GetProperty("error_codes")[0].ValueKind);
        Assert.Equal(50126, reply.ErrorCode);
        var traceId = json.GetProperty("trace_id").GetString()!;
        Assert.Equal(reply.Header("x-ms-request-id"), traceId);
        Assert.Equal(correlation, json.GetProperty("correlation_id").GetString());
        Assert.Equal(correlation, reply.Header("client-request-id"));
        var timestamp = json.GetProperty("timestamp").GetString()!;
        Assert.True(DateTime.TryParseExact(timestamp, "yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.None, out _));
        Assert.Equal(
            $"AADSTS50126: Error validating credentials due to invalid username or password.\r\nTrace ID: {traceId}\r\nCorrelation ID: {correlation}\r\nTimestamp: {timestamp}",
            json.GetProperty("error_description").GetString());
        Assert.Equal($"{fixture.Emulator.BaseUrl}error?code=50126", json.GetProperty("error_uri").GetString());
        Assert.Equal("no-store, no-cache", reply.Header("Cache-Control"));
    }

    [Fact]
    public async Task A_new_correlation_id_is_made_when_none_is_sent()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, "openid", password: "nope");

        Assert.True(Guid.TryParse(reply.Json.GetProperty("correlation_id").GetString(), out _));
    }

    [Theory]
    [InlineData(DemoDirectory.MfaUser, 50076, "invalid_grant", "basic_action")]
    [InlineData(DemoDirectory.MfaRegistrationUser, 50079, "interaction_required", null)]
    [InlineData(DemoDirectory.ExpiredPasswordUser, 50055, "invalid_grant", "user_password_expired")]
    [InlineData(DemoDirectory.DisabledUser, 50057, "invalid_grant", null)]
    [InlineData(DemoDirectory.LockedUser, 50053, "invalid_grant", null)]
    [InlineData(DemoDirectory.FederatedUser, 50126, "invalid_grant", null)]
    [InlineData(DemoDirectory.MsaGuest, 50034, "invalid_grant", null)]
    [InlineData("nobody@contoso.com", 50034, "invalid_grant", null)]
    public async Task Each_user_case_gives_its_aadsts_code(string user, int code, string error, string? suberror)
    {
        foreach (var reply in new[]
        {
            await Sts.PasswordV1Async(user, "https://graph.microsoft.com", password: DemoDirectory.PasswordOf(user)),
            await Sts.PasswordV2Async(user, "openid https://graph.microsoft.com/User.Read", password: DemoDirectory.PasswordOf(user)),
        })
        {
            Assert.Equal(400, (int)reply.Status);
            Assert.Equal(code, reply.ErrorCode);
            Assert.Equal(error, reply.Error);
            Assert.Equal(suberror, reply.Json.TryGetProperty("suberror", out var s) ? s.GetString() : null);
        }
    }

    [Fact]
    public async Task Conditional_access_block_has_message_only_and_claims_as_a_json_string()
    {
        var reply = await Sts.PasswordV2Async(DemoDirectory.BlockedUser, "openid https://graph.microsoft.com/User.Read");

        Assert.Equal(53003, reply.ErrorCode);
        Assert.Equal("message_only", reply.Json.GetProperty("suberror").GetString());
        var claims = reply.Json.GetProperty("claims");
        Assert.Equal(JsonValueKind.String, claims.ValueKind);
        var parsed = JsonDocument.Parse(claims.GetString()!).RootElement;
        Assert.True(parsed.GetProperty("access_token").GetProperty("capolids").GetProperty("essential").GetBoolean());
    }

    [Fact]
    public async Task Assignment_required_app_refuses_unassigned_users_and_admits_assigned_ones()
    {
        var refused = await Sts.PasswordV2Async(DemoDirectory.UnassignedUser, "https://graph.microsoft.com/User.Read", DemoDirectory.AssignmentRequiredAppId);
        var admitted = await Sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read", DemoDirectory.AssignmentRequiredAppId);

        Assert.Equal(50105, refused.ErrorCode);
        Assert.Equal(200, (int)admitted.Status);
    }

    [Theory]
    [InlineData(DemoDirectory.UnconsentedAppId, "https://graph.microsoft.com")]
    [InlineData(DemoDirectory.AssignmentRequiredAppId, "https://graph.windows.net")]
    public async Task A_resource_without_consent_or_not_required_gives_consent_required(string clientId, string resource)
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, resource, clientId);

        Assert.Equal(65001, reply.ErrorCode);
        Assert.Equal("invalid_grant", reply.Error);
        Assert.Equal("consent_required", reply.Json.GetProperty("suberror").GetString());
    }

    [Theory]
    [InlineData("grant_type")]
    [InlineData("client_id")]
    [InlineData("username")]
    [InlineData("password")]
    [InlineData("resource")]
    public async Task A_missing_parameter_is_named(string missing)
    {
        var fields = new List<(string, string)>
        {
            ("grant_type", "password"), ("client_id", DemoDirectory.NativeAppId), ("username", DemoDirectory.Adele),
            ("password", DemoDirectory.PasswordOf(DemoDirectory.Adele)), ("resource", "https://graph.microsoft.com"),
        };
        fields.RemoveAll(f => f.Item1 == missing);

        var reply = await Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/token", fields);

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal("invalid_request", reply.Error);
        Assert.Equal(900144, reply.ErrorCode);
        Assert.Contains($"parameter: '{missing}'", reply.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_json_body_is_treated_as_missing_grant_type()
    {
        var reply = await Sts.PostJsonAsync($"{DemoDirectory.TenantDomain}/oauth2/token", "{\"grant_type\":\"password\"}");

        Assert.Equal(900144, reply.ErrorCode);
    }

    [Fact]
    public async Task A_broken_multipart_body_is_a_clear_error_not_a_crash()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{DemoDirectory.TenantDomain}/oauth2/token")
        {
            Content = new StringContent("--x\r\nbroken", System.Text.Encoding.UTF8),
        };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        var reply = await Sts.SendAsync(request);

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal(900144, reply.ErrorCode);
    }

    [Fact]
    public async Task Get_on_the_token_endpoint_is_refused()
    {
        var reply = await Sts.GetAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token");

        Assert.Equal(400, (int)reply.Status);
        Assert.Equal(900561, reply.ErrorCode);
    }

    [Fact]
    public async Task An_unsupported_grant_type_is_refused()
    {
        var reply = await Sts.PostFormAsync($"{DemoDirectory.TenantDomain}/oauth2/v2.0/token",
            [("grant_type", "client_credentials"), ("client_id", DemoDirectory.NativeAppId)]);

        Assert.Equal("unsupported_grant_type", reply.Error);
        Assert.Equal(70003, reply.ErrorCode);
    }

    [Theory]
    [InlineData("11111111-2222-4333-8444-555555555555")]
    [InlineData("fabrikam.onmicrosoft.com")]
    public async Task An_unknown_tenant_is_refused(string tenant)
    {
        var reply = await Sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com", tenant: tenant);

        Assert.Equal("invalid_request", reply.Error);
        Assert.Equal(90002, reply.ErrorCode);
        Assert.Contains($"Tenant '{tenant}' not found", reply.Json.GetProperty("error_description").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DemoDirectory.NativeAppId, "some-secret", 401, "invalid_client", 700025)]
    [InlineData(DemoDirectory.ConfidentialAppId, null, 401, "invalid_client", 7000218)]
    [InlineData(DemoDirectory.ConfidentialAppId, "wrong-secret", 401, "invalid_client", 7000215)]
    [InlineData(DemoDirectory.ExpiredSecretAppId, DemoDirectory.ExpiredSecret, 401, "invalid_client", 7000222)]
    [InlineData("99999999-2222-4333-8444-555555555555", null, 400, "unauthorized_client", 700016)]
    public async Task Client_authentication_rules(string clientId, string? secret, int status, string error, int code)
    {
        var extra = secret is null ? Array.Empty<(string, string)>() : [("client_secret", secret)];
        var reply = await Sts.PasswordV2Async(DemoDirectory.Adele, "https://graph.microsoft.com/User.Read", clientId, extra: extra);

        Assert.Equal(status, (int)reply.Status);
        Assert.Equal(error, reply.Error);
        Assert.Equal(code, reply.ErrorCode);
        if (status == 401) Assert.Equal("Bearer", reply.Header("WWW-Authenticate"));
    }

    [Fact]
    public async Task Client_secret_basic_is_accepted()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{DemoDirectory.TenantDomain}/oauth2/v2.0/token")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "password", ["scope"] = "https://graph.microsoft.com/User.Read",
                ["username"] = DemoDirectory.Adele, ["password"] = DemoDirectory.PasswordOf(DemoDirectory.Adele),
            }),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{DemoDirectory.ConfidentialAppId}:{DemoDirectory.ConfidentialSecret}")));

        var reply = await Sts.SendAsync(request);

        Assert.Equal(200, (int)reply.Status);
    }

    [Fact]
    public async Task The_error_page_answers_on_the_emulator_host()
    {
        var reply = await Sts.GetAsync("error?code=50126");

        Assert.Equal(200, (int)reply.Status);
        Assert.Matches(ErrorPage(), reply.Body);
    }

    [GeneratedRegex("AADSTS50126")]
    private static partial Regex ErrorPage();
}
