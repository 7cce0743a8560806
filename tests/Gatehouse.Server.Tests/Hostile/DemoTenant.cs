using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Gatehouse.Server.Tests.Hostile;

/// <summary>
/// A --demo server: its database connection with two users and the waad connection contoso-native on the in-process
/// Azure AD emulator, whose sign-in log shows whether a password ever went upstream.
/// </summary>
public sealed class DemoTenant : IAsyncLifetime
{
    public const string Realm = DemoSeeder.ConnectionName;
    public const string WaadRealm = "contoso-native";
    public const string PasswordRealmGrant = "http://auth0.com/oauth/grant-type/password-realm";

    public GatehouseTestServer Server { get; private set; } = null!;
    public string NativeClientId { get; private set; } = "";
    public AzureAdEmulator Emulator => Server.Services.GetRequiredService<AzureAdEmulator>();
    public static (string Email, string Password) Alice => DemoSeeder.Users[0];

    public async Task InitializeAsync()
    {
        // Rate limits off: these tests send dozens of refused requests from one address on purpose (their own tests are elsewhere).
        Server = await GatehouseTestServer.StartAsync(c =>
        {
            c["Gatehouse:Demo"] = "true";
            c["RateLimits:Enabled"] = "false";
        });
        var demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Server.DataDir, DemoSeeder.DemoFileName))).RootElement;
        NativeClientId = demo.GetProperty("native_client_id").GetString()!;
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    public Task<HttpResponseMessage> TokenAsync(params (string Name, string Value)[] parameters) =>
        Server.Client.PostAsync("oauth/token", new FormUrlEncodedContent(parameters.Select(p => KeyValuePair.Create(p.Name, p.Value))));

    public Task<HttpResponseMessage> PostRawAsync(string path, string body, string contentType, AuthenticationHeaderValue? authorization = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        request.Headers.Authorization = authorization;
        return Server.Client.SendAsync(request);
    }

    public Task<HttpResponseMessage> PasswordRealmAsync(string realm, string username, string password) => TokenAsync(
        ("grant_type", PasswordRealmGrant), ("client_id", NativeClientId), ("realm", realm), ("username", username), ("password", password),
        ("scope", "openid profile email"));

    public async Task<int> LogCountAsync() =>
        (await Server.Store.ListLogsAsync(new LogQuery(null, null, PageRequest.All), CancellationToken.None)).Items.Count;

    public async Task<IReadOnlyList<User>> UsersAsync() =>
        (await Server.Store.ListUsersAsync(new UserQuery(null, null, null, false, PageRequest.All), CancellationToken.None)).Items;

    /// <summary>Users, clients, connections and their versions: what a refused request must leave as it was.</summary>
    public async Task<string> SnapshotAsync()
    {
        var store = Server.Store;
        var ct = CancellationToken.None;
        return JsonSerializer.Serialize(new object?[]
        {
            (await store.ListClientsAsync(PageRequest.All, ct)).Items.Select(c => $"{c.ClientId}/{c.Version}"),
            (await store.ListConnectionsAsync(new ConnectionQuery(null, null, PageRequest.All), ct)).Items.Select(c => $"{c.Id}/{c.Version}"),
            (await UsersAsync()).Select(u => $"{u.UserId}/{u.Version}/{u.LoginsCount}"),
            (await store.ListResourceServersAsync(PageRequest.All, ct)).Items.Select(r => $"{r.Id}/{r.Version}"),
            (await store.GetTenantSettingsAsync(ct))?.Version,
        });
    }
}

[CollectionDefinition(Name)]
public sealed class DemoTenantCollection : ICollectionFixture<DemoTenant>
{
    public const string Name = "hostile demo tenant";
}
