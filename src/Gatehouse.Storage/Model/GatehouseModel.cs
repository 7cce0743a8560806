using System.Text;
using Gatehouse.Storage.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Gatehouse.Storage.Model;

/// <summary>Tables, keys and indexes. Names are snake_case so hand-written SQL reads naturally on both backends.</summary>
internal static class GatehouseModel
{
    public static void Build(ModelBuilder model)
    {
        model.Entity<TenantSettingsEntity>(e =>
        {
            Versioned(e, "tenant_settings");
            e.Property(x => x.Id).ValueGeneratedNever();
            e.HasIndex(x => x.Id).IsUnique();
        });

        model.Entity<ClientEntity>(e =>
        {
            Versioned(e, "clients");
            e.HasIndex(x => x.ClientId).IsUnique();
        });

        model.Entity<ResourceServerEntity>(e =>
        {
            Versioned(e, "resource_servers");
            e.Property(x => x.Id).IsRequired();
            e.HasIndex(x => x.Id).IsUnique();
            e.HasIndex(x => x.Identifier).IsUnique();
        });

        model.Entity<ClientGrantEntity>(e =>
        {
            Versioned(e, "client_grants");
            e.Property(x => x.Id).IsRequired();
            e.HasIndex(x => x.Id).IsUnique();
            e.HasIndex(x => new { x.ClientId, x.Audience }).IsUnique();
            e.HasIndex(x => x.Audience);
        });

        model.Entity<ConnectionEntity>(e =>
        {
            Versioned(e, "connections");
            e.Property(x => x.Id).IsRequired();
            e.HasIndex(x => x.Id).IsUnique();
            e.HasIndex(x => x.Name).IsUnique();
        });

        model.Entity<UserEntity>(e =>
        {
            Versioned(e, "users");
            e.HasIndex(x => x.UserId).IsUnique();
            e.HasIndex(x => new { x.ConnectionId, x.EmailLower }).IsUnique().HasFilter("\"email_lower\" IS NOT NULL");
            e.HasIndex(x => new { x.ConnectionId, x.UsernameLower }).IsUnique().HasFilter("\"username_lower\" IS NOT NULL");
            e.HasIndex(x => new { x.ConnectionId, x.ExternalKey }).IsUnique().HasFilter("\"external_key\" IS NOT NULL");
            e.HasIndex(x => x.EmailLower);
        });

        model.Entity<SigningKeyEntity>(e =>
        {
            Versioned(e, "signing_keys");
            e.HasIndex(x => x.Kid).IsUnique();
        });

        model.Entity<RefreshTokenEntity>(e =>
        {
            Versioned(e, "refresh_tokens");
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.FamilyId);
        });

        model.Entity<LogEventEntity>(e =>
        {
            e.ToTable("logs");
            e.HasKey(x => x.LogId);
            e.HasIndex(x => new { x.Date, x.LogId });
        });

        // Dashboard administrators: apart from tenant users (no grant reads this table).
        model.Entity<AdministratorEntity>(e =>
        {
            Versioned(e, "administrators");
            e.Property(x => x.Id).IsRequired();
            e.HasIndex(x => x.Id).IsUnique();
            e.HasIndex(x => x.Email).IsUnique();
        });

        // Attack-protection settings: one JSON row per kind.
        model.Entity<ProtectionSettingsEntity>(e =>
        {
            Versioned(e, "protection_settings");
            e.Property(x => x.Kind).IsRequired();
            e.HasIndex(x => x.Kind).IsUnique();
        });

        // Role-based access control (Auth0's roles and permissions). No foreign keys: the store removes the rows
        // that name a deleted role, user or API, or a scope removed from an API (IRoleStore).
        model.Entity<RoleEntity>(e =>
        {
            Versioned(e, "roles");
            e.Property(x => x.Id).IsRequired();
            e.HasIndex(x => x.Id).IsUnique();
            e.HasIndex(x => x.Name).IsUnique();
        });

        model.Entity<RolePermissionEntity>(e =>
        {
            Versioned(e, "role_permissions");
            e.HasIndex(x => new { x.RoleId, x.ResourceServerIdentifier, x.PermissionName }).IsUnique();
            e.HasIndex(x => x.ResourceServerIdentifier);
        });

        model.Entity<UserRoleEntity>(e =>
        {
            Versioned(e, "user_roles");
            e.HasIndex(x => new { x.UserId, x.RoleId }).IsUnique();
            e.HasIndex(x => x.RoleId);
        });

        model.Entity<UserPermissionEntity>(e =>
        {
            Versioned(e, "user_permissions");
            e.HasIndex(x => new { x.UserId, x.ResourceServerIdentifier, x.PermissionName }).IsUnique();
            e.HasIndex(x => x.ResourceServerIdentifier);
        });

        // Browser SSO sessions: the id is the hash of the cookie value; revoked per user.
        model.Entity<SsoSessionEntity>(e =>
        {
            Versioned(e, "sso_sessions");
            e.Property(x => x.SessionId).IsRequired();
            e.HasIndex(x => x.SessionId).IsUnique();
            e.HasIndex(x => x.UserId);
        });

        foreach (var entity in model.Model.GetEntityTypes())
        {
            foreach (var property in entity.GetProperties())
                property.SetColumnName(SnakeCase(property.Name));
        }
    }

    private static void Versioned<T>(EntityTypeBuilder<T> e, string table) where T : VersionedEntity
    {
        e.ToTable(table);
        e.HasKey(x => x.Seq);
        e.Property(x => x.Seq).ValueGeneratedOnAdd();
        e.Property(x => x.Version).IsConcurrencyToken();
    }

    private static string SnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0)
                sb.Append('_');
            sb.Append(char.ToLowerInvariant(name[i]));
        }
        return sb.ToString();
    }
}
