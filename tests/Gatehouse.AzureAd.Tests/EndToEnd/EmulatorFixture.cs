using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;

namespace Gatehouse.AzureAd.Tests.EndToEnd;

/// <summary>One emulator over HTTPS on loopback for all end-to-end tests (they run one after another).</summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public AzureAdEmulator Emulator { get; private set; } = null!;

    public async Task InitializeAsync() => Emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions { Https = true });

    public async Task DisposeAsync() => await Emulator.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "emulator";
}

/// <summary>
/// Each test: a clean emulator directory (no faults, lockouts or sign-ins), and a fresh strategy built the way the
/// server builds it (production handler, system trust store plus the emulator's CA as an extra anchor).
/// </summary>
[Collection(EmulatorCollection.Name)]
public abstract class EmulatorTestBase : IDisposable
{
    public const string CorrelationId = "6f1d2c3b-4a59-4e68-8d7c-1b2a3c4d5e6f";

    protected EmulatorTestBase(EmulatorFixture fixture)
    {
        Emulator = fixture.Emulator;
        Emulator.Directory.Reset();
        Emulator.Faults.Clear();
        Emulator.SignInLog.Clear();
        Strategy = new WaadConnectionStrategy(Protector, TimeProvider.System, new WaadServerDefaults
        {
            AuthorityUrl = new Uri(Emulator.BaseUrl),
            GraphUrl = new Uri(Emulator.MicrosoftGraphBaseUrl),
            AadGraphUrl = new Uri(Emulator.AadGraphBaseUrl),
            ExtraTrustedCertificates = [Emulator.CaCertificate!],
        });
    }

    protected AzureAdEmulator Emulator { get; }

    protected InMemoryStore Store { get; } = new();

    protected FakeProtector Protector { get; } = new();

    protected WaadConnectionStrategy Strategy { get; }

    /// <summary>The usual payload of docs/waad.md: the Web API's App ID URI, the Native app's client id, any secret.</summary>
    protected static JsonObject BriefPayload() => new()
    {
        ["tenant_domain"] = DemoDirectory.TenantDomain,
        ["app_id"] = DemoDirectory.WebApiAppIdUri,
        ["client_id"] = DemoDirectory.NativeAppId,
        ["client_secret"] = "any_value",
    };

    protected static JsonObject With(JsonObject options, params (string Name, JsonNode? Value)[] changes)
    {
        foreach (var (name, value) in changes)
        {
            if (value is null)
            {
                options.Remove(name);
            }
            else
            {
                options[name] = value;
            }
        }

        return options;
    }

    protected IPasswordConnection Create(JsonObject options, string id = "con_1", string name = "azure-native")
    {
        Assert.Empty(Strategy.ValidateOptions(JsonSerializer.SerializeToElement(options)));
        if (options["client_secret"] is { } secret)
        {
            options["client_secret"] = Protector.Protect(secret.GetValue<string>(), IConnectionStrategy.SecretPurpose("client_secret"));
        }

        var definition = new Connection(id, name, "waad", JsonSerializer.SerializeToElement(options), [], [], null, false, false, null, 1);
        return (IPasswordConnection)Strategy.Create(definition);
    }

    /// <summary>The connection's answer, provisioned as the grant does (<see cref="ProvisionedLogin"/>).</summary>
    protected Task<PasswordLoginResult> Login(IPasswordConnection connection, string upn, string? password = null) =>
        ProvisionedLogin.RunAsync(connection, new FederatedUserProvisioner(Store, Protector, TimeProvider.System,
                new AuditLog(Store, new LogIds(TimeProvider.System), TimeProvider.System, new ConnectionCache([Strategy]))),
            upn, password ?? DemoDirectory.PasswordOf(upn), new LoginContext("app", "192.0.2.10", "e2e", CorrelationId));

    protected static User AssertSuccess(PasswordLoginResult result) =>
        Assert.IsType<PasswordLoginResult.Success>(result, exactMatch: true).User;

    protected static PasswordLoginResult.Denied AssertDenied(PasswordLoginResult result, int status, string error)
    {
        var denied = Assert.IsType<PasswordLoginResult.Denied>(result);
        Assert.Equal((status, error), (denied.Status, denied.Error));
        return denied;
    }

    protected static JsonElement Attr(User user, string name) => user.Attributes!.Value.GetProperty(name);

    protected static bool HasAttr(User user, string name) => user.Attributes!.Value.TryGetProperty(name, out _);

    public void Dispose()
    {
        Strategy.Dispose();
        GC.SuppressFinalize(this);
    }
}
