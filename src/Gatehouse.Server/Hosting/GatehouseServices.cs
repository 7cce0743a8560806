using Gatehouse.Connections.AzureAd;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Access;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Claims;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Devices;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Logs;
using Gatehouse.Core.Membership;
using Gatehouse.Core.Protection;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Core.Tokens;
using Gatehouse.Core.Users;
using Gatehouse.Server.Authorization;
using Gatehouse.Server.RateLimiting;
using Gatehouse.Storage;
using Gatehouse.Storage.Redis;

namespace Gatehouse.Server.Hosting;

/// <summary>Registers the Gatehouse services. Another connection strategy plugs in as one more AddXxxConnections line.</summary>
public static class GatehouseServices
{
    public static IServiceCollection AddGatehouse(this IServiceCollection services, IConfiguration configuration, GatehouseSettings settings)
    {
        services.AddSingleton(settings);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(configuration.GetSection("Tokens").Get<TokenOptions>() ?? new TokenOptions());
        services.AddSingleton(new PasswordHashingOptions
        {
            Iterations = configuration.GetValue("Passwords:Pbkdf2Iterations", new PasswordHashingOptions().Iterations),
        });
        services.AddSingleton<ISecretProtector>(new AesGcmSecretProtector(MasterKey.Load(configuration, settings)));
        var storage = StorageFrom(configuration, settings);
        services.AddGatehouseDataProtection(settings, storage);
        services.AddGatehouseStorage(storage);
        services.AddSingleton(new ConfigCacheOptions
        {
            Seconds = configuration.GetValue("Storage:ConfigCacheSeconds", new ConfigCacheOptions().Seconds),
        });
        services.AddSingleton<ConfigCache>();

        var issuer = new TenantIssuer();
        if (!string.IsNullOrEmpty(settings.PublicUrl))
            issuer.Set(settings.PublicUrl);
        services.AddSingleton(issuer);

        services.AddSingleton<LogIds>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<SigningKeyService>();
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<AccessTokenValidator>();
        services.AddSingleton<RefreshTokenService>();
        services.AddSingleton<ClientAuthenticator>();
        services.AddSingleton<AudienceResolver>();
        services.AddSingleton<LoginRecorder>();
        services.AddSingleton<FederatedUserProvisioner>();
        services.AddSingleton<PasswordSignIn>();
        services.AddSingleton<UserInfoService>();
        services.AddSingleton<RevocationService>();

        services.AddSingleton<IPasswordHasher, Pbkdf2PasswordHasher>();
        // The connection strategies: one line each (docs/architecture.md, "Adding a strategy").
        services.AddDatabaseConnections();
        services.AddAzureAdConnections((configuration.GetSection(AzureAdSettings.Section).Get<AzureAdSettings>() ?? new AzureAdSettings()).ToDefaults());
        services.AddSingleton<ConnectionOptionSecrets>();
        services.AddSingleton<ConnectionCache>();
        services.AddSingleton<AdminAudit>();
        services.AddSingleton<ClientAdmin>();
        services.AddSingleton<ConnectionAdmin>();
        services.AddSingleton<UserAdmin>();
        services.AddSingleton<ClientGrantAdmin>();
        services.AddSingleton<ResourceServerAdmin>();
        services.AddSingleton<RoleAdmin>();
        services.AddSingleton<IdentityAdmin>();
        services.AddSingleton<TenantSettingsAdmin>();
        services.AddSingleton<SigningKeyAdmin>();
        services.AddSingleton<AttackProtectionAdmin>();
        services.AddSingleton<BlockAdmin>();

        services.AddSingleton((configuration.GetSection(ProtectionOptions.Section).Get<ProtectionOptions>() ?? new ProtectionOptions()).Validated());
        services.AddSingleton<AttackProtectionSettingsService>();
        services.AddSingleton<IAttackCounters, InMemoryAttackCounters>();
        services.AddSingleton<SuspiciousIpThrottle>();
        services.AddSingleton<UpstreamLockoutGuard>();
        services.AddSingleton<BruteForceCounter>();
        services.AddSingleton<LoginProtection>();

        foreach (var kind in Enum.GetValues<PasswordGrantKind>())
        {
            services.AddSingleton<IGrantHandler>(sp => new ProtectedGrantHandler(
                ActivatorUtilities.CreateInstance<PasswordGrantHandler>(sp, kind), sp.GetRequiredService<LoginProtection>()));
        }
        services.AddSingleton<IGrantHandler, ClientCredentialsGrantHandler>();
        services.AddSingleton<IGrantHandler, RefreshTokenGrantHandler>();
        services.AddSingleton<RbacPolicy>();
        services.AddSingleton<LoginSubjects>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<ClaimsPolicy>();
        services.AddSingleton<RecentGroups>();
        services.AddSingleton<TokenPolicies>();
        services.AddSingleton<IGrantHandler, AuthorizationCodeGrantHandler>();
        services.AddSingleton<IGrantHandler, DeviceCodeGrantHandler>();
        services.AddSingleton<TokenPipeline>();

        // Browser sign-in (docs/browser-sign-in.md): its short-lived state in memory, bounded.
        services.AddSingleton((configuration.GetSection(AuthorizationOptions.Section).Get<AuthorizationOptions>() ?? new AuthorizationOptions()).Validated());
        services.AddSingleton<InMemoryLoginTransactionStore>();
        services.AddSingleton<ILoginTransactionStore>(sp => sp.GetRequiredService<InMemoryLoginTransactionStore>());
        services.AddSingleton<InMemoryAuthorizationCodeStore>();
        services.AddSingleton<IAuthorizationCodeStore>(sp => sp.GetRequiredService<InMemoryAuthorizationCodeStore>());
        services.AddSingleton<FederatedStates>();
        services.AddSingleton<IFederatedStateStore>(sp => sp.GetRequiredService<FederatedStates>());
        services.AddSingleton<IMfaTokenStore, InMemoryMfaTokenStore>();
        services.AddSingleton(sp => new MfaTokens(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IMfaTokenStore>()));
        services.AddSingleton<UpstreamSessionRecheck>();
        services.AddSingleton<AuthorizeRequestReader>();
        services.AddSingleton<SignInCompletion>();
        services.AddSingleton<ISignInCompletion>(sp => sp.GetRequiredService<SignInCompletion>());
        services.AddSingleton<FederatedLogin>();

        // Device flow (docs/device-flow.md): its state in memory, bounded and expiring like the codes (Redis replaces both stores).
        services.AddSingleton((configuration.GetSection(DeviceOptions.Section).Get<DeviceOptions>() ?? new DeviceOptions()).Validated());
        services.AddSingleton<IDeviceAuthorizationStore, InMemoryDeviceAuthorizationStore>();
        services.AddSingleton<IDeviceActivationVisitStore, InMemoryDeviceActivationVisitStore>();
        services.AddSingleton<DeviceAuthorizations>();

        services.AddSingleton(RateLimitOptions.From(configuration));
        services.AddSingleton<RateLimiter>();

        // Several nodes: Redis:Configuration moves the shared state (counters, rate limits, codes, transactions) to Redis.
        if (configuration.GetSection(RedisOptions.Section).Get<RedisOptions>() is { Configuration: { Length: > 0 } } redis)
        {
            services.AddRedisSharedState(redis);
            services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", timeout: TimeSpan.FromSeconds(5));
        }

        services.AddSingleton<Readiness>();
        services.AddSingleton<Bootstrapper>();
        services.AddSingleton<DemoSeeder>();
        services.AddHostedService<GatehouseStartup>();
        return services;
    }

    private static StorageOptions StorageFrom(IConfiguration configuration, GatehouseSettings settings)
    {
        var provider = configuration["Storage:Provider"] ?? StorageOptions.Sqlite;
        if (provider.Equals(StorageOptions.Memory, StringComparison.OrdinalIgnoreCase))
            return StorageOptions.ForMemory();
        var connectionString = configuration["Storage:ConnectionString"];
        if (string.IsNullOrEmpty(connectionString))
        {
            return provider.Equals(StorageOptions.Sqlite, StringComparison.OrdinalIgnoreCase)
                ? StorageOptions.ForSqlite(settings.FullDataDir)
                : throw new InvalidOperationException($"Storage:ConnectionString is required for provider '{provider}'.");
        }
        return new StorageOptions { Provider = provider, ConnectionString = connectionString };
    }
}
