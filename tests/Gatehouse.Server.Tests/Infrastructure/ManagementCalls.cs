using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>The Management API calls every fixture makes while setting a tenant up, written once.</summary>
public static class ManagementCalls
{
    /// <summary>POST a Management API resource and insist on 201; returns the created resource.</summary>
    public static async Task<JsonElement> PostCreatedAsync(this HttpClient management, string path, object body)
    {
        var response = await management.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    /// <summary>A Management API client whose token holds exactly <paramref name="scopes"/> (a new M2M app granted them).</summary>
    public static async Task<HttpClient> ManagementWithScopesAsync(this GatehouseTestServer server, HttpClient management, params string[] scopes)
    {
        var client = await management.PostCreatedAsync("clients", new { name = "Scoped " + string.Join(' ', scopes), app_type = "non_interactive" });
        await management.PostCreatedAsync("client-grants", new { client_id = client.GetProperty("client_id").GetString(), audience = server.ManagementAudience, scope = scopes });
        var response = await server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials", ["client_id"] = client.GetProperty("client_id").GetString()!,
            ["client_secret"] = client.GetProperty("client_secret").GetString()!, ["audience"] = server.ManagementAudience,
        }));
        return await server.CreateManagementClientAsync((await HttpAssert.OkJsonAsync(response)).GetProperty("access_token").GetString()!);
    }

    /// <summary>The log events of one type, newest first, read straight from the store.</summary>
    public static async Task<IReadOnlyList<LogEvent>> LogsOfTypeAsync(this GatehouseTestServer server, string type) =>
        (await server.Store.ListLogsAsync(new LogQuery(new Filter.Match("type", type, MatchKind.Exact), null, PageRequest.All), CancellationToken.None)).Items;
}
