using System.Net;
using System.Text;
using System.Text.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>The OpenAPI document and the reference page describe every Management API route with its scopes; bodies stop at 1 MB.</summary>
public class ManagementReferenceTests(TestTenant tenant) : IClassFixture<TestTenant>
{
    [Fact]
    public async Task Openapi_lists_every_operation_with_its_scopes()
    {
        var document = await HttpAssert.OkJsonAsync(await tenant.Server.Client.GetAsync("api/v2/openapi.json"));
        Assert.Equal("3.0.3", document.GetProperty("openapi").GetString());
        Assert.Equal(tenant.Server.Issuer + "api/v2", document.GetProperty("servers")[0].GetProperty("url").GetString());
        var paths = document.GetProperty("paths");
        Assert.Equal(["read:connections"], Scopes(paths, "/connections", "get"));
        Assert.Equal(["update:client_keys"], Scopes(paths, "/clients/{id}/rotate-secret", "post"));
        Assert.Equal(["update:signing_keys"], Scopes(paths, "/keys/signing/{kid}/revoke", "put"));
        Assert.Equal(["read:users"], Scopes(paths, "/users-by-email", "get"));
        Assert.Equal(["read:logs", "read:logs_users"], Scopes(paths, "/users/{id}/logs", "get"));
        Assert.Equal(["update:tenant_settings"], Scopes(paths, "/tenants/settings", "patch"));
        Assert.Contains(paths.GetProperty("/connections").GetProperty("get").GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "take");
        Assert.Equal("204", paths.GetProperty("/connections/{id}").GetProperty("delete").GetProperty("responses").EnumerateObject().First().Name);
        foreach (var path in paths.EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject())
                Assert.NotEqual(0, operation.Value.GetProperty("security")[0].GetProperty("bearerAuth").GetArrayLength());
        }
        Assert.False(paths.TryGetProperty("/openapi.json", out _));
    }

    [Fact]
    public async Task Reference_page_is_self_contained_html()
    {
        var response = await tenant.Server.Client.GetAsync("api/v2/reference");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<code>/api/v2/users-by-email</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>read:connections</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("src=\"http", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("href=\"http", html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Array_bodies_stop_at_one_megabyte_too()
    {
        var id = tenant.ConnectionId;
        var snapshot = await tenant.SnapshotAsync();
        // Chunked (no Content-Length), so the limit is enforced while reading.
        var huge = new StringBuilder("[");
        huge.Append(string.Join(',', Enumerable.Repeat("{\"client_id\":\"" + new string('a', 100) + "\",\"status\":true}", 12000)));
        huge.Append(']');
        using var content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(huge.ToString())));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"connections/{id}/clients") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        await HttpAssert.ManagementErrorAsync(await tenant.Management.SendAsync(request), 413, "payload_too_large");
        Assert.Equal(snapshot, await tenant.SnapshotAsync());
    }

    private static List<string?> Scopes(JsonElement paths, string path, string method) =>
        paths.GetProperty(path).GetProperty(method).GetProperty("security")[0].GetProperty("bearerAuth").EnumerateArray().Select(s => s.GetString()).ToList();
}
