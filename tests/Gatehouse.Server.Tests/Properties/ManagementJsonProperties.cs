using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using Gatehouse.Server.Management;
using Gatehouse.Server.Tests.Hostile;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Properties;

/// <summary>
/// Management API bodies: arbitrary bytes parse or are a 400; random JSON sent to the create and update endpoints over
/// HTTP is a 2xx, 400, 404 or 409 (never a 500), and a refusal changes nothing in the store.
/// </summary>
[Collection(DemoTenantCollection.Name)]
public class ManagementJsonProperties(DemoTenant tenant)
{
    private static readonly string[] Names =
    [
        "name", "app_type", "grant_types", "callbacks", "client_metadata", "token_endpoint_auth_method", "is_first_party", "jwt_configuration",
        "lifetime_in_seconds", "alg", "strategy", "options", "enabled_clients", "realms", "display_name", "requires_username", "tenant_domain",
        "client_id", "client_secret", "app_id", "connection", "email", "password", "username", "email_verified", "blocked", "given_name",
        "user_metadata", "app_metadata", "user_id", "Username-Password-Authentication", "auth0", "waad", "native", "non_interactive",
        "password", "client_credentials", "contoso.onmicrosoft.com", "x@example.com", "Passw0rd!Passw0rd",
    ];

    [Property(MaxTest = 2000)]
    public bool Any_bytes_are_json_or_a_400(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var bytes = random.Next(2) == 0 ? HostileText.Bytes(random) : Encoding.UTF8.GetBytes(HostileText.Json(random, Names)?.ToJsonString() ?? "null");
        try
        {
            JsonBody.Parse(bytes);
            return true;
        }
        catch (ManagementException e)
        {
            return e.Status == 400 && e.ErrorCode == "invalid_body";
        }
    }

    private async Task<bool> SendAsync(HttpMethod method, string path, Random random)
    {
        using var management = await tenant.Server.CreateManagementClientAsync();
        var body = HostileText.Json(random, Names);
        var json = random.Next(5) == 0 ? HostileText.Text(random, 12) : body?.ToJsonString() ?? "null";
        var before = await tenant.SnapshotAsync();
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        var response = await management.SendAsync(request);
        var status = (int)response.StatusCode;
        Assert.True(status is 200 or 201 or 204 or 400 or 404 or 409, $"{method} {path} {json} → {status} {await response.Content.ReadAsStringAsync()}");
        if (status >= 400)
        {
            var error = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(status, error.GetProperty("statusCode").GetInt32());
            Assert.Equal(before, await tenant.SnapshotAsync());
        }
        return true;
    }

    [Property(MaxTest = 60)]
    public bool Random_creates_never_fail_the_server_and_refusals_change_nothing(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var path = new[] { "clients", "connections", "users", "resource-servers", "client-grants" }[random.Next(5)];
        return SendAsync(HttpMethod.Post, path, random).GetAwaiter().GetResult();
    }

    [Property(MaxTest = 60)]
    public bool Random_updates_never_fail_the_server_and_refusals_change_nothing(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var targets = Targets.Value.GetAwaiter().GetResult();
        var path = targets[random.Next(targets.Length)];
        return SendAsync(HttpMethod.Patch, path, random).GetAwaiter().GetResult();
    }

    /// <summary>Objects of their own to update, so the random patches cannot break the shared demo client or users.</summary>
    private Lazy<Task<string[]>> Targets => _targets ??= new(async () =>
    {
        var client = await PostAsync("clients", new { name = "Patch target", app_type = "native" });
        var connection = await PostAsync("connections", new { name = "patch-target", strategy = "auth0" });
        var user = await PostAsync("users", new { connection = DemoTenant.Realm, email = $"patch-{Guid.NewGuid():N}@example.com", password = "Patch-Target-Passw0rd!" });
        return
        [
            $"clients/{client.GetProperty("client_id").GetString()}",
            $"connections/{connection.GetProperty("id").GetString()}",
            $"users/{Uri.EscapeDataString(user.GetProperty("user_id").GetString()!)}",
            "tenants/settings",
        ];
    });

    private static Lazy<Task<string[]>>? _targets;

    private async Task<JsonElement> PostAsync(string path, object body)
    {
        using var management = await tenant.Server.CreateManagementClientAsync();
        return await HttpAssert.OkJsonAsync(await management.PostAsJsonAsync(path, body), System.Net.HttpStatusCode.Created);
    }
}
