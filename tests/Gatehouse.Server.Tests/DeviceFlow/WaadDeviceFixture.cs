using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.BrowserSignIn;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Server.Tests.DeviceFlow;

/// <summary>
/// <see cref="WaadBrowserFixture"/> on one fake clock shared by the emulator and Gatehouse (intervals are stepped, never
/// slept), plus a device app ("TV App": native, public, the device code grant) enabled on the v2 browser connection and
/// on <see cref="BrokerConnection"/>: a waad connection on the emulator's Native app registration with
/// <c>gatehouse_device_code_via_azure</c>.
/// </summary>
public sealed class WaadDeviceFixture : IAsyncLifetime
{
    public const string BrokerConnection = "contoso-device";

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public WaadBrowserFixture World { get; private set; } = null!;

    public TestTenant Tenant => World.Tenant;

    public string ClientId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        World = new WaadBrowserFixture { Clock = Clock };
        await World.InitializeAsync();
        ClientId = (await Tenant.PostAsync("clients", new
        {
            name = DeviceWorld.AppName, app_type = "native", token_endpoint_auth_method = "none", grant_types = new[] { DeviceWorld.DeviceGrant, "refresh_token" },
        })).GetProperty("client_id").GetString()!;
        var connections = await Tenant.Management.GetFromJsonAsync<JsonElement>("connections?strategy=waad");
        var v2 = connections.EnumerateArray().Single(c => c.GetProperty("name").GetString() == WaadBrowserFixture.V2Connection);
        (await Tenant.Management.PatchAsJsonAsync("connections/" + v2.GetProperty("id").GetString(),
            new { enabled_clients = new[] { World.WebClientId, Tenant.NativeClientId, ClientId } })).EnsureSuccessStatusCode();
        await Tenant.PostAsync("connections", new
        {
            name = BrokerConnection, strategy = "waad", enabled_clients = new[] { ClientId },
            options = new { client_id = DemoDirectory.NativeAppId, tenant_domain = DemoDirectory.TenantDomain, gatehouse_device_code_via_azure = true },
        });
    }

    public Task<HttpResponseMessage> StartAsync(string connection) => Tenant.Server.Client.PostAsync("oauth/device/code", new FormUrlEncodedContent(
        new Dictionary<string, string> { ["client_id"] = ClientId, ["scope"] = "openid profile email offline_access", ["connection"] = connection }));

    public Task<HttpResponseMessage> PollAsync(string deviceCode) => Tenant.TokenAsync(
        ("grant_type", DeviceWorld.DeviceGrant), ("device_code", deviceCode), ("client_id", ClientId));

    /// <summary>The MFA code the emulator's admin API holds for the user's pending MFA step (GET /_emulator/mfa-codes/{upn}).</summary>
    public async Task<string> MfaCodeAsync(string upn)
    {
        using var admin = new HttpClient(World.Emulator.CreateTrustingHandler()) { BaseAddress = new Uri(World.Emulator.BaseUrl) };
        var response = await admin.GetAsync("_emulator/mfa-codes/" + Uri.EscapeDataString(upn));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString()!;
    }

    public async Task DisposeAsync() => await World.DisposeAsync();
}
