using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Core.Access;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Gatehouse.Core.Users;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Core.Tests.Fakes;

/// <summary>The Core services wired together over an in-memory store, a fake clock and a real secret protector.</summary>
public sealed class TestWorld : IDisposable
{
    public const string Issuer = "https://gatehouse.test/";

    public TestWorld()
    {
        Protector = new AesGcmSecretProtector(RandomNumberGenerator.GetBytes(32));
        IssuerInfo = new TenantIssuer(Issuer);
        Keys = new SigningKeyService(Store, Protector, Time, Options);
        Tokens = new TokenIssuer(Keys, IssuerInfo, Time, Options);
        Validator = new AccessTokenValidator(Keys, IssuerInfo, Time);
        RefreshTokens = new RefreshTokenService(Store, Time, Options);
        Database = new DatabaseConnectionStrategy(Store, Hasher, Time);
        Cache = new ConnectionCache([Database, Fake]);
        Audit = new AuditLog(Store, new LogIds(Time), Time, Cache);
        // The cache off: tests change the store between requests and expect the next request to see it.
        Config = new ConfigCache(Store, Time, new ConfigCacheOptions { Seconds = 0 });
        var clients = new ClientAuthenticator(Config, Protector);
        var audiences = new AudienceResolver(Config, IssuerInfo);
        var logins = new LoginRecorder(Store, Time);
        var provisioner = new FederatedUserProvisioner(Store, Protector, Time, Audit);
        ProtectionSettings = new AttackProtectionSettingsService(Store, Time, ProtectionOptions);
        Counters = new InMemoryAttackCounters(Time, ProtectionOptions);
        Throttle = new SuspiciousIpThrottle(ProtectionSettings, Counters);
        Guard = new UpstreamLockoutGuard(Counters, Time, ProtectionOptions);
        BruteForce = new BruteForceCounter(ProtectionSettings, Counters, Guard, Store, Cache, ProtectionOptions);
        var protection = new LoginProtection(Throttle, BruteForce, Audit);
        var signIn = new PasswordSignIn(provisioner, logins);
        Pipeline = new TokenPipeline(
            [
                new ProtectedGrantHandler(new PasswordGrantHandler(PasswordGrantKind.Password, audiences, signIn, IssuerInfo, Options), protection),
                new ProtectedGrantHandler(new PasswordGrantHandler(PasswordGrantKind.PasswordRealm, audiences, signIn, IssuerInfo, Options), protection),
                new ProtectedGrantHandler(new PasswordGrantHandler(PasswordGrantKind.LegacyRo, audiences, signIn, IssuerInfo, Options), protection),
                new ClientCredentialsGrantHandler(audiences, Config),
                new RefreshTokenGrantHandler(RefreshTokens, Store, Store, Store, IssuerInfo, Options),
            ],
            clients, Config, Cache, Tokens, RefreshTokens, Audit, Microsoft.Extensions.Logging.Abstractions.NullLogger<TokenPipeline>.Instance,
            new RbacPolicy(Config, Store),
            new TokenPolicies(new LoginSubjects(Cache, Store), new AccessPolicy(), new ClaimsPolicy(Config), RecentGroups));
        Revocation = new RevocationService(clients, RefreshTokens, Audit);
        Keys.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        Store.SaveTenantSettingsAsync(new TenantSettings("Test", "", "", null, 0), CancellationToken.None).GetAwaiter().GetResult();
    }

    public InMemoryStore Store { get; } = new();
    public RecentGroups RecentGroups { get; } = new(TimeProvider.System);
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    public TokenOptions Options { get; } = new();
    public AesGcmSecretProtector Protector { get; }
    public TenantIssuer IssuerInfo { get; }
    public SigningKeyService Keys { get; }
    public TokenIssuer Tokens { get; }
    public AccessTokenValidator Validator { get; }
    public RefreshTokenService RefreshTokens { get; }
    public AuditLog Audit { get; }
    public CountingHasher Hasher { get; } = new();
    public DatabaseConnectionStrategy Database { get; }
    public RecordingConnectionStrategy Fake { get; } = new();
    public ConnectionCache Cache { get; }
    public ConfigCache Config { get; }
    public TokenPipeline Pipeline { get; }
    public RevocationService Revocation { get; }
    public ProtectionOptions ProtectionOptions { get; } = new();
    public AttackProtectionSettingsService ProtectionSettings { get; }
    public InMemoryAttackCounters Counters { get; }
    public SuspiciousIpThrottle Throttle { get; }
    public UpstreamLockoutGuard Guard { get; }
    public BruteForceCounter BruteForce { get; }

    public Client AddClient(string clientId, string authMethod = TokenEndpointAuthMethods.None, string? secret = null, params string[] grantTypes)
    {
        var client = new Client(clientId, clientId + " app", "native", true, authMethod,
            secret is null ? null : Protector.Protect(secret, Secrets.ClientSecretPurpose),
            grantTypes, false, false, null, Time.GetUtcNow(), 0);
        return Store.CreateClientAsync(client, CancellationToken.None).GetAwaiter().GetResult();
    }

    public ResourceServer AddApi(string identifier, bool allowOffline, params string[] scopes) =>
        Store.CreateResourceServerAsync(new ResourceServer(Secrets.RandomHex(12), identifier, identifier,
            scopes.Select(s => new ResourceServerScope(s, null)).ToList(), "RS256", 3600, 7200, allowOffline, true, false, null, 0), CancellationToken.None).GetAwaiter().GetResult();

    public Connection AddConnection(string name, string strategy, params string[] enabledClients) =>
        Store.CreateConnectionAsync(new Connection("con_" + name, name, strategy, JsonSerializer.SerializeToElement(new Dictionary<string, object>()),
            enabledClients, [name], null, false, false, null, 0), CancellationToken.None).GetAwaiter().GetResult();

    public User AddDatabaseUser(Connection connection, string email, string password)
    {
        var database = (DatabaseConnection)Cache.Get(connection)!;
        var result = database.CreateUserAsync(new DatabaseUserDraft(email, null, password) { Name = "Test User", EmailVerified = true }, CancellationToken.None).GetAwaiter().GetResult();
        return ((UserCreationResult.Created)result).User;
    }

    public void SetDefaultDirectory(string name)
    {
        var tenant = Store.GetTenantSettingsAsync(CancellationToken.None).GetAwaiter().GetResult()!;
        Store.SaveTenantSettingsAsync(tenant with { DefaultDirectory = name }, CancellationToken.None).GetAwaiter().GetResult();
    }

    public static TokenRequest Request(params (string Name, string Value)[] parameters) =>
        new(parameters.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal)) { Ip = "203.0.113.7", CorrelationId = "test" };

    public Task<TokenOutcome> TokenAsync(params (string Name, string Value)[] parameters) =>
        Pipeline.ExecuteAsync(Request(parameters), CancellationToken.None);

    public void Dispose()
    {
        Protector.Dispose();
        Keys.Dispose();
    }
}
