using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

public class StartupTests
{
    private static string NewDataDir() => Path.Combine(Path.GetTempPath(), "gatehouse-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task First_start_bootstraps_and_writes_owner_only_secrets()
    {
        await using var server = await GatehouseTestServer.StartAsync();
        var bootstrap = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(server.DataDir, "bootstrap.json"))).RootElement;
        Assert.Equal(server.Issuer, bootstrap.GetProperty("issuer").GetString());
        Assert.Equal(server.Issuer + "api/v2/", bootstrap.GetProperty("audience").GetString());
        Assert.False(string.IsNullOrEmpty(bootstrap.GetProperty("client_secret").GetString()));

        var ownerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        Assert.False(OperatingSystem.IsWindows(), "Gatehouse's file modes are checked on Unix");
        if (OperatingSystem.IsWindows())
            return;
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(server.DataDir, "bootstrap.json")));
        Assert.Equal(ownerOnly, File.GetUnixFileMode(Path.Combine(server.DataDir, "keys", "master.key")));
        Assert.Equal(32, (await File.ReadAllBytesAsync(Path.Combine(server.DataDir, "keys", "master.key"))).Length);
        Assert.True(File.Exists(server.CaCertificatePath));

        var client = await server.Store.GetClientAsync(server.ManagementClientId, CancellationToken.None);
        Assert.Equal(("Gatehouse Management", "non_interactive"), (client!.Name, client.AppType));
        Assert.DoesNotContain(server.ManagementClientSecret, client.ClientSecretProtected!, StringComparison.Ordinal);
        var system = (await server.Store.ListResourceServersAsync(PageRequest.All, CancellationToken.None)).Items.Single(r => r.IsSystem);
        Assert.Equal(server.ManagementAudience, system.Identifier);
    }

    /// <summary>Storage:Provider=memory needs no connection string and serves a whole login: demos and tests run without a database.</summary>
    [Fact]
    public async Task The_in_memory_store_serves_a_demo_login()
    {
        await using var server = await GatehouseTestServer.StartAsync(c => { c["Storage:Provider"] = "memory"; c["Gatehouse:Demo"] = "true"; });
        Assert.IsType<Gatehouse.Storage.Memory.InMemoryGatehouseStore>(server.Store);
        Assert.False(File.Exists(Path.Combine(server.DataDir, Gatehouse.Storage.StorageOptions.SqliteFileName)));

        var demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(server.DataDir, DemoSeeder.DemoFileName))).RootElement;
        var user = demo.GetProperty("users")[0];
        var login = await server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["client_id"] = demo.GetProperty("native_client_id").GetString()!,
            ["username"] = user.GetProperty("email").GetString()!,
            ["password"] = user.GetProperty("password").GetString()!,
            ["audience"] = demo.GetProperty("api_audience").GetString()!,
        }));
        await HttpAssert.OkJsonAsync(login);
        var logs = await server.Store.ListLogsAsync(new LogQuery(null, null, new PageRequest(0, 10)), CancellationToken.None);
        Assert.Contains(logs.Items, l => l.UserName == user.GetProperty("email").GetString());
    }

    [Fact]
    public async Task Restart_is_idempotent_and_follows_a_new_port()
    {
        var dataDir = NewDataDir();
        try
        {
            string firstBootstrap;
            string clientId;
            await using (var first = await GatehouseTestServer.StartAsync(c => c["Gatehouse:DataDir"] = dataDir))
            {
                firstBootstrap = await File.ReadAllTextAsync(Path.Combine(dataDir, "bootstrap.json"));
                clientId = first.ManagementClientId;
            }
            await using var second = await GatehouseTestServer.StartAsync(c => c["Gatehouse:DataDir"] = dataDir);
            Assert.Equal(firstBootstrap, await File.ReadAllTextAsync(Path.Combine(dataDir, "bootstrap.json")));
            Assert.Equal(clientId, second.ManagementClientId);
            Assert.Single((await second.Store.ListClientsAsync(PageRequest.All, CancellationToken.None)).Items);
            var keys = await second.Store.ListSigningKeysAsync(CancellationToken.None);
            Assert.Equal(2, keys.Count); // the current key and the next one, made once
            Assert.Single(keys, k => k.Current);

            // The port changed: the Management API identifier and its grant moved with the issuer.
            var token = await second.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials",
                ["client_id"] = second.ManagementClientId,
                ["client_secret"] = second.ManagementClientSecret,
                ["audience"] = second.Issuer + "api/v2/",
            }));
            var body = await HttpAssert.OkJsonAsync(token);
            using var api = await second.CreateManagementClientAsync(body.GetProperty("access_token").GetString());
            await HttpAssert.OkJsonAsync(await api.GetAsync("clients"));
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task A_client_labelled_management_gets_nothing_at_the_next_start()
    {
        var dataDir = NewDataDir();
        try
        {
            string planted, plantedSecret, realId;
            await using (var first = await GatehouseTestServer.StartAsync(c => c["Gatehouse:DataDir"] = dataDir))
            {
                // A caller with create:clients and delete:clients plants a look-alike and deletes the real bootstrap client.
                using var api = await first.CreateManagementClientAsync();
                var client = await api.PostCreatedAsync("clients", new { name = "Gatehouse Management", app_type = "non_interactive", client_metadata = new { gatehouse_role = "management" } });
                (planted, plantedSecret, realId) = (client.GetProperty("client_id").GetString()!, client.GetProperty("client_secret").GetString()!, first.ManagementClientId);
                Assert.Equal(System.Net.HttpStatusCode.NoContent, (await api.DeleteAsync($"clients/{realId}")).StatusCode);
            }
            await using var second = await GatehouseTestServer.StartAsync(c => c["Gatehouse:DataDir"] = dataDir);
            Assert.Null(await second.Store.FindClientGrantAsync(planted, second.ManagementAudience, CancellationToken.None));
            var token = await second.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "client_credentials", ["client_id"] = planted, ["client_secret"] = plantedSecret, ["audience"] = second.ManagementAudience,
            }));
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, token.StatusCode);

            // A new bootstrap client took the real one's place; bootstrap.json names it and still holds the first administrator.
            Assert.NotEqual(realId, second.ManagementClientId);
            Assert.NotEqual(planted, second.ManagementClientId);
            var bootstrap = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, "bootstrap.json"))).RootElement;
            Assert.True(bootstrap.TryGetProperty("dashboard_admin", out _));
            using var management = await second.CreateManagementClientAsync();
            var system = await HttpAssert.OkJsonAsync(await management.GetAsync($"resource-servers/{Uri.EscapeDataString(second.ManagementAudience)}"));
            Assert.False(system.TryGetProperty(Bootstrapper.ClientIdKey, out _)); // the record is not shown
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public async Task Demo_seeds_a_working_setup_once()
    {
        var dataDir = NewDataDir();
        try
        {
            await using (var first = await GatehouseTestServer.StartAsync(c => { c["Gatehouse:DataDir"] = dataDir; c["Gatehouse:Demo"] = "true"; }))
            {
                var demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dataDir, DemoSeeder.DemoFileName))).RootElement;
                Assert.Equal(first.Issuer, demo.GetProperty("issuer").GetString());
                Assert.Equal(first.CaCertificatePath, demo.GetProperty("ca_file").GetString());
                Assert.Equal(first.ManagementClientSecret, demo.GetProperty("management").GetProperty("client_secret").GetString());
                var user = demo.GetProperty("users")[0];
                var login = await first.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "password",
                    ["client_id"] = demo.GetProperty("native_client_id").GetString()!,
                    ["username"] = user.GetProperty("email").GetString()!,
                    ["password"] = user.GetProperty("password").GetString()!,
                    ["audience"] = demo.GetProperty("api_audience").GetString()!,
                    ["scope"] = "openid offline_access",
                }));
                var tokens = await HttpAssert.OkJsonAsync(login);
                Assert.True(tokens.TryGetProperty("refresh_token", out _));
                var ro = await first.Client.PostAsJsonAsync("oauth/ro", new
                {
                    client_id = demo.GetProperty("native_client_id").GetString(),
                    connection = DemoSeeder.ConnectionName,
                    grant_type = "password",
                    username = user.GetProperty("email").GetString(),
                    password = user.GetProperty("password").GetString(),
                });
                await HttpAssert.OkJsonAsync(ro);

                // Without AzureAd:AuthorityUrl the demo runs the emulator in-process: its waad connections log Azure AD users in.
                var azure = demo.GetProperty("azure_ad");
                var azureUser = azure.GetProperty("users")[0];
                var federated = await first.Client.PostAsync("oauth/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "http://auth0.com/oauth/grant-type/password-realm",
                    ["realm"] = azure.GetProperty("connections")[0].GetString()!,
                    ["client_id"] = demo.GetProperty("native_client_id").GetString()!,
                    ["username"] = azureUser.GetProperty("username").GetString()!,
                    ["password"] = azureUser.GetProperty("password").GetString()!,
                    ["scope"] = "openid",
                }));
                var federatedTokens = await HttpAssert.OkJsonAsync(federated);
                Assert.True(federatedTokens.TryGetProperty("id_token", out _));
                var federatedUser = Assert.Single((await first.Store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), CancellationToken.None)).Items, u => u.UserId.StartsWith("waad|", StringComparison.Ordinal));
                Assert.Equal(1, federatedUser.LoginsCount); // counted once, by the grant, not again by the provisioner
                Assert.NotNull(federatedUser.LastLogin);
            }
            await using var second = await GatehouseTestServer.StartAsync(c => { c["Gatehouse:DataDir"] = dataDir; c["Gatehouse:Demo"] = "true"; });
            var store = second.Store;
            Assert.Equal(3, (await store.ListClientsAsync(PageRequest.All, CancellationToken.None)).Total);
            Assert.Equal(4, (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), CancellationToken.None)).Total);
            Assert.Equal(DemoSeeder.Users.Count + 1, (await store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), CancellationToken.None)).Total);
        }
        finally
        {
            Directory.Delete(dataDir, recursive: true);
        }
    }

    [Fact]
    public void Bare_flags_become_true()
    {
        Assert.Equal(["--demo", "true", "--urls", "http://127.0.0.1:0", "--dev-cert", "true"], CommandLine.Normalize(["--demo", "--urls", "http://127.0.0.1:0", "--dev-cert"]));
        Assert.Equal(["--demo", "false"], CommandLine.Normalize(["--demo", "false"]));
    }
}
