using System.Net.Http.Headers;
using System.Text;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hostile;

/// <summary>
/// Input that could mean two things (a repeated name, a body in one format labelled as another, bytes that are not
/// UTF-8) is refused rather than guessed at: 400 in the API's shape, no state change, nothing sent upstream.
/// </summary>
[Collection(DemoTenantCollection.Name)]
public class AmbiguousInputTests(DemoTenant tenant)
{
    private async Task RefusedWithoutChangesAsync(Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, Task> assert)
    {
        tenant.Emulator.SignInLog.Clear();
        var before = await tenant.SnapshotAsync();
        await assert(await send());
        Assert.Equal(before, await tenant.SnapshotAsync());
        Assert.Empty(tenant.Emulator.SignInLog.Entries);
    }

    private string WaadForm(string extra = "") =>
        $"grant_type=http%3A%2F%2Fauth0.com%2Foauth%2Fgrant-type%2Fpassword-realm&client_id={tenant.NativeClientId}&realm=contoso-native&username=AdeleV%40contoso.com&password=P%40ssw0rd-adele{extra}";

    private Task<HttpResponseMessage> Token(string body, string contentType = "application/x-www-form-urlencoded") =>
        tenant.PostRawAsync("oauth/token", body, contentType);

    private Task<HttpResponseMessage> TokenBytes(byte[] body, string contentType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return tenant.Server.Client.PostAsync("oauth/token", content);
    }

    [Theory]
    [InlineData("&username=other%40contoso.com", "username")]
    [InlineData("&realm=Username-Password-Authentication", "realm")]
    [InlineData("&password=", "password")]
    [InlineData("&grant_type=password", "grant_type")]
    public Task A_repeated_form_parameter_is_400_even_when_one_copy_is_empty(string extra, string name) => RefusedWithoutChangesAsync(
        () => Token(WaadForm(extra)),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", $"Parameter '{name}' was sent more than once."));

    [Fact]
    public Task A_repeated_client_id_is_400() => RefusedWithoutChangesAsync(
        () => Token(WaadForm("&client_id=" + tenant.NativeClientId)),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "Parameter 'client_id' was sent more than once."));

    [Theory]
    [InlineData("%4")]
    [InlineData("%ZZ")]
    [InlineData("%C3%28")] // invalid UTF-8 sequence
    [InlineData("%ED%A0%80")] // an encoded surrogate
    public Task Malformed_percent_encoding_is_400_not_a_literal(string encoded) => RefusedWithoutChangesAsync(
        () => Token(WaadForm("&device=" + encoded)),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "The form body has a malformed percent-encoding or bytes that are not UTF-8."));

    [Fact]
    public Task A_body_that_is_not_utf8_is_400() => RefusedWithoutChangesAsync(
        () => TokenBytes([.. Encoding.ASCII.GetBytes("grant_type=password&username="), 0xC0, 0xAF, .. "&password=x"u8.ToArray()], "application/x-www-form-urlencoded"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "The request body is not valid UTF-8."));

    [Fact]
    public Task A_charset_other_than_utf8_is_400() => RefusedWithoutChangesAsync(
        () => Token(WaadForm(), "application/x-www-form-urlencoded; charset=iso-8859-1"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task Json_labelled_as_a_form_is_400() => RefusedWithoutChangesAsync(
        () => Token($"{{\"grant_type\":\"password\",\"client_id\":\"{tenant.NativeClientId}\",\"username\":\"a\",\"password\":\"b\"}}"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task A_form_labelled_as_json_is_400() => RefusedWithoutChangesAsync(
        () => Token(WaadForm(), "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request", "The request body is not valid JSON."));

    [Theory]
    [InlineData("text/plain")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("application/xml")]
    public Task Other_content_types_are_400(string contentType) => RefusedWithoutChangesAsync(
        () => Token(WaadForm(), contentType),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task A_nul_in_a_json_token_body_is_400() => RefusedWithoutChangesAsync(
        () => Token($"{{\"grant_type\":\"password\",\"client_id\":\"{tenant.NativeClientId}\",\"username\":\"a\\u0000b\",\"password\":\"x\"}}", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task Deep_json_in_a_token_body_is_400() => RefusedWithoutChangesAsync(
        () => Token("{\"grant_type\":" + new string('[', 100) + new string(']', 100) + "}", "application/json"),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task Client_credentials_in_the_basic_header_and_the_body_are_400() => RefusedWithoutChangesAsync(
        () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_secret"] = tenant.Server.ManagementClientSecret, ["audience"] = tenant.Server.ManagementAudience }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{tenant.Server.ManagementClientId}:{tenant.Server.ManagementClientSecret}")));
            return tenant.Server.Client.SendAsync(request);
        },
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    [Fact]
    public Task A_nul_in_the_query_string_is_400() => RefusedWithoutChangesAsync(
        () => tenant.Server.Client.PostAsync("oauth/token?x=%00", new StringContent(WaadForm(), Encoding.UTF8, "application/x-www-form-urlencoded")),
        r => HttpAssert.OAuthErrorAsync(r, 400, "invalid_request"));

    // Management API

    private async Task<HttpResponseMessage> ManagementAsync(HttpMethod method, string path, string? json = null)
    {
        using var management = await tenant.Server.CreateManagementClientAsync();
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return await management.SendAsync(request);
    }

    [Theory]
    [InlineData("clients", "{\"name\":\"a\",\"name\":\"b\"}", "Duplicate property name' on property name")]
    [InlineData("clients", "{\"name\":\"a\",\"client_metadata\":{\"k\":\"1\",\"k\":\"2\"}}", "on property client_metadata.k")]
    [InlineData("connections", "{\"name\":\"dup-opts\",\"strategy\":\"auth0\",\"options\":{\"requires_username\":true,\"requires_username\":false}}", "on property options.requires_username")]
    [InlineData("users", "{\"connection\":\"Username-Password-Authentication\",\"email\":\"x@example.com\",\"email\":\"y@example.com\",\"password\":\"Passw0rd!Passw0rd\"}", "Duplicate property name' on property email")]
    [InlineData("clients", "{\"name\":\"a\\u0000b\"}", "NUL")]
    [InlineData("clients", "{\"name\":\"a\\ud800b\"}", "lone surrogate")]
    [InlineData("clients", "{\"na\\udc00me\":\"a\"}", "lone surrogate")]
    public Task Management_bodies_with_duplicates_nul_or_broken_unicode_are_400(string path, string json, string expected) => RefusedWithoutChangesAsync(
        () => ManagementAsync(HttpMethod.Post, path, json),
        async r => Assert.Contains(expected, await HttpAssert.ManagementErrorAsync(r, 400, "invalid_body"), StringComparison.Ordinal));

    [Fact]
    public Task Deep_management_json_is_400() => RefusedWithoutChangesAsync(
        () => ManagementAsync(HttpMethod.Post, "clients", "{\"name\":\"deep\",\"client_metadata\":" + new string('[', 64) + new string(']', 64) + "}"),
        r => HttpAssert.ManagementErrorAsync(r, 400, "invalid_body"));

    [Fact]
    public async Task A_patch_with_a_duplicate_property_changes_nothing()
    {
        var id = tenant.NativeClientId;
        await RefusedWithoutChangesAsync(
            () => ManagementAsync(HttpMethod.Patch, $"clients/{id}", "{\"name\":\"Innocent\",\"name\":\"Evil\"}"),
            r => HttpAssert.ManagementErrorAsync(r, 400, "invalid_body"));
    }

    [Theory]
    [InlineData("users?q=email%3A%00")]
    [InlineData("users-by-email?email=a%00%40example.com")]
    [InlineData("clients?fields=name%00")]
    public Task Management_queries_with_nul_are_400(string path) => RefusedWithoutChangesAsync(
        () => ManagementAsync(HttpMethod.Get, path),
        r => HttpAssert.ManagementErrorAsync(r, 400, "invalid_query_string"));

    [Theory]
    [InlineData("users/auth0%7C%00")]
    [InlineData("clients/%00")]
    public Task Paths_with_nul_are_400(string path) => RefusedWithoutChangesAsync(
        () => ManagementAsync(HttpMethod.Delete, path),
        r =>
        {
            // Kestrel refuses a NUL in the path itself, before Gatehouse sees the request (an empty 400).
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, r.StatusCode);
            return Task.CompletedTask;
        });
}
