using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;

namespace Gatehouse.Storage.Model;

/// <summary>
/// The one model every provider shares. Each provider has its own subclass (and so its own migrations) and says
/// how it recognises a unique-key violation, which is the only provider-specific thing the store needs.
/// </summary>
public abstract class GatehouseDbContext : DbContext
{
    protected GatehouseDbContext(DbContextOptions options) : base(options) { }

    internal DbSet<TenantSettingsEntity> TenantSettings => Set<TenantSettingsEntity>();
    internal DbSet<ClientEntity> Clients => Set<ClientEntity>();
    internal DbSet<ResourceServerEntity> ResourceServers => Set<ResourceServerEntity>();
    internal DbSet<ClientGrantEntity> ClientGrants => Set<ClientGrantEntity>();
    internal DbSet<ConnectionEntity> Connections => Set<ConnectionEntity>();
    internal DbSet<UserEntity> Users => Set<UserEntity>();
    internal DbSet<SigningKeyEntity> SigningKeys => Set<SigningKeyEntity>();
    internal DbSet<RefreshTokenEntity> RefreshTokens => Set<RefreshTokenEntity>();
    internal DbSet<LogEventEntity> Logs => Set<LogEventEntity>();
    internal DbSet<AdministratorEntity> Administrators => Set<AdministratorEntity>();
    internal DbSet<ProtectionSettingsEntity> ProtectionSettings => Set<ProtectionSettingsEntity>();
    internal DbSet<RoleEntity> Roles => Set<RoleEntity>();
    internal DbSet<RolePermissionEntity> RolePermissions => Set<RolePermissionEntity>();
    internal DbSet<UserRoleEntity> UserRoles => Set<UserRoleEntity>();
    internal DbSet<UserPermissionEntity> UserPermissions => Set<UserPermissionEntity>();
    internal DbSet<SsoSessionEntity> SsoSessions => Set<SsoSessionEntity>();

    /// <summary>True when the failed save broke a primary-key or unique index.</summary>
    /// <summary>A unique-index violation, whether SaveChanges wrapped it (DbUpdateException) or ExecuteUpdate threw it as is.</summary>
    internal abstract bool IsUniqueViolation(Exception exception);

    /// <summary>Provider-specific set-up run once at start, before migrations.</summary>
    internal virtual Task PrepareDatabaseAsync(CancellationToken ct) => Task.CompletedTask;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // UTC ticks on every backend: exact round trip (100 ns) and ordering that SQLite can do natively.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        configurationBuilder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder) => GatehouseModel.Build(modelBuilder);
}
