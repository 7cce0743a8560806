using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Logs;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Users;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.AzureAd.Tests;

public abstract class WaadTestBase : IDisposable
{
    public const string CorrelationId = "a3c1f7e2-5b8d-4c9e-8f10-2d3e4f5a6b7c";

    protected WaadTestBase()
    {
        Time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        Azure = new StubAzure(Time);
        Strategy = new WaadConnectionStrategy(Protector, Time, Defaults, Azure);
    }

    protected FakeTimeProvider Time { get; }

    protected StubAzure Azure { get; }

    protected InMemoryStore Store { get; } = new();

    protected FakeProtector Protector { get; } = new();

    protected FederatedUserProvisioner Provisioner => new(Store, Protector, Time, new AuditLog(Store, new LogIds(Time), Time, new ConnectionCache([Strategy])));

    protected WaadConnectionStrategy Strategy { get; }

    protected static WaadServerDefaults Defaults => new()
    {
        AuthorityUrl = new Uri(StubAzure.Authority),
        GraphUrl = new Uri(StubAzure.GraphBase),
        AadGraphUrl = new Uri(StubAzure.AadGraphBase),
    };

    /// <summary>The usual Management API payload of docs/waad.md, verbatim apart from the values.</summary>
    protected static JsonObject BriefPayload() => new()
    {
        ["tenant_domain"] = StubAzure.TenantDomain,
        ["app_id"] = StubAzure.AppId,
        ["client_id"] = StubAzure.ClientId,
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

    /// <summary>A stored connection: the client secret is protected the way the Management API stores it.</summary>
    protected Connection StoredConnection(JsonObject options, string id = "con_1", string name = "azure-native", long version = 1)
    {
        var copy = JsonNode.Parse(options.ToJsonString())!.AsObject();
        if (copy["client_secret"] is { } secret)
        {
            copy["client_secret"] = Protector.Protect(secret.GetValue<string>(), IConnectionStrategy.SecretPurpose("client_secret"));
        }

        return new Connection(id, name, "waad", JsonSerializer.SerializeToElement(copy), [], [], null, false, false, null, version);
    }

    protected IPasswordConnection Create(JsonObject options, string id = "con_1", string name = "azure-native", long version = 1) =>
        (IPasswordConnection)Strategy.Create(StoredConnection(options, id, name, version));

    /// <summary>The connection's answer, provisioned as the grant does (<see cref="ProvisionedLogin"/>).</summary>
    protected Task<PasswordLoginResult> Login(IPasswordConnection connection, string username = StubAzure.UserName, string password = StubAzure.Password) =>
        ProvisionedLogin.RunAsync(connection, Provisioner, username, password, new LoginContext("app-client", "203.0.113.7", "test-agent", CorrelationId));

    /// <summary>Runs a login while moving the fake clock, for code that waits (Graph Retry-After back-off).</summary>
    protected async Task<PasswordLoginResult> LoginAdvancingTime(IPasswordConnection connection, TimeSpan step)
    {
        var login = Login(connection);
        for (var i = 0; i < 1000 && !login.IsCompleted; i++)
        {
            await Task.Delay(5);
            Time.Advance(step);
        }

        return await login;
    }

    protected static User AssertSuccess(PasswordLoginResult result) =>
        Assert.IsType<PasswordLoginResult.Success>(result, exactMatch: true).User;

    protected static PasswordLoginResult.Denied AssertDenied(PasswordLoginResult result, int status, string error)
    {
        var denied = Assert.IsType<PasswordLoginResult.Denied>(result);
        Assert.Equal((status, error), (denied.Status, denied.Error));
        return denied;
    }

    protected static JsonElement Attr(User user, string name) => user.Attributes!.Value.GetProperty(name);

    public void Dispose()
    {
        Strategy.Dispose();
        GC.SuppressFinalize(this);
    }
}
