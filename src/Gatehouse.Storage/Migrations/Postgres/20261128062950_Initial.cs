using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Gatehouse.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Initial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "client_grants",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<string>(type: "text", nullable: false),
                    client_id = table.Column<string>(type: "text", nullable: false),
                    audience = table.Column<string>(type: "text", nullable: false),
                    scope = table.Column<string>(type: "text", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_client_grants", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "clients",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    client_id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    app_type = table.Column<string>(type: "text", nullable: false),
                    is_first_party = table.Column<bool>(type: "boolean", nullable: false),
                    token_endpoint_auth_method = table.Column<string>(type: "text", nullable: false),
                    client_secret_protected = table.Column<string>(type: "text", nullable: true),
                    grant_types = table.Column<string>(type: "text", nullable: false),
                    is_token_endpoint_ip_header_trusted = table.Column<bool>(type: "boolean", nullable: false),
                    is_global = table.Column<bool>(type: "boolean", nullable: false),
                    extra = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clients", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "connections",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    strategy = table.Column<string>(type: "text", nullable: false),
                    options = table.Column<string>(type: "text", nullable: false),
                    enabled_clients = table.Column<string>(type: "text", nullable: false),
                    realms = table.Column<string>(type: "text", nullable: false),
                    display_name = table.Column<string>(type: "text", nullable: true),
                    is_domain_connection = table.Column<bool>(type: "boolean", nullable: false),
                    show_as_button = table.Column<bool>(type: "boolean", nullable: false),
                    metadata = table.Column<string>(type: "text", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_connections", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "logs",
                columns: table => new
                {
                    log_id = table.Column<string>(type: "text", nullable: false),
                    date = table.Column<long>(type: "bigint", nullable: false),
                    type = table.Column<string>(type: "text", nullable: false),
                    description = table.Column<string>(type: "text", nullable: true),
                    client_id = table.Column<string>(type: "text", nullable: true),
                    client_name = table.Column<string>(type: "text", nullable: true),
                    connection_name = table.Column<string>(type: "text", nullable: true),
                    connection_id = table.Column<string>(type: "text", nullable: true),
                    strategy = table.Column<string>(type: "text", nullable: true),
                    strategy_type = table.Column<string>(type: "text", nullable: true),
                    user_id = table.Column<string>(type: "text", nullable: true),
                    user_name = table.Column<string>(type: "text", nullable: true),
                    ip = table.Column<string>(type: "text", nullable: true),
                    client_ip = table.Column<string>(type: "text", nullable: true),
                    user_agent = table.Column<string>(type: "text", nullable: true),
                    audience = table.Column<string>(type: "text", nullable: true),
                    scope = table.Column<string>(type: "text", nullable: true),
                    details = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_logs", x => x.log_id);
                });

            migrationBuilder.CreateTable(
                name: "refresh_tokens",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    token_hash = table.Column<string>(type: "text", nullable: false),
                    family_id = table.Column<string>(type: "text", nullable: false),
                    client_id = table.Column<string>(type: "text", nullable: false),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    audience = table.Column<string>(type: "text", nullable: true),
                    scopes = table.Column<string>(type: "text", nullable: false),
                    connection_id = table.Column<string>(type: "text", nullable: true),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    expires_at = table.Column<long>(type: "bigint", nullable: false),
                    rotated_at = table.Column<long>(type: "bigint", nullable: true),
                    revoked_at = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refresh_tokens", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "resource_servers",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<string>(type: "text", nullable: false),
                    identifier = table.Column<string>(type: "text", nullable: false),
                    name = table.Column<string>(type: "text", nullable: false),
                    scopes = table.Column<string>(type: "text", nullable: false),
                    signing_alg = table.Column<string>(type: "text", nullable: false),
                    token_lifetime = table.Column<int>(type: "integer", nullable: false),
                    token_lifetime_for_web = table.Column<int>(type: "integer", nullable: false),
                    allow_offline_access = table.Column<bool>(type: "boolean", nullable: false),
                    skip_consent_for_verifiable_first_party_clients = table.Column<bool>(type: "boolean", nullable: false),
                    is_system = table.Column<bool>(type: "boolean", nullable: false),
                    extra = table.Column<string>(type: "text", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_servers", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    kid = table.Column<string>(type: "text", nullable: false),
                    certificate_pem = table.Column<string>(type: "text", nullable: false),
                    private_key_protected = table.Column<string>(type: "text", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    current = table.Column<bool>(type: "boolean", nullable: false),
                    next = table.Column<bool>(type: "boolean", nullable: false),
                    revoked_at = table.Column<long>(type: "bigint", nullable: true),
                    publish_until = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_keys", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "tenant_settings",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    id = table.Column<int>(type: "integer", nullable: false),
                    friendly_name = table.Column<string>(type: "text", nullable: false),
                    default_directory = table.Column<string>(type: "text", nullable: false),
                    default_audience = table.Column<string>(type: "text", nullable: false),
                    extra = table.Column<string>(type: "text", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_settings", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    seq = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    user_id = table.Column<string>(type: "text", nullable: false),
                    connection_id = table.Column<string>(type: "text", nullable: false),
                    email = table.Column<string>(type: "text", nullable: true),
                    email_lower = table.Column<string>(type: "text", nullable: true),
                    email_verified = table.Column<bool>(type: "boolean", nullable: false),
                    username = table.Column<string>(type: "text", nullable: true),
                    username_lower = table.Column<string>(type: "text", nullable: true),
                    phone_number = table.Column<string>(type: "text", nullable: true),
                    name = table.Column<string>(type: "text", nullable: true),
                    given_name = table.Column<string>(type: "text", nullable: true),
                    family_name = table.Column<string>(type: "text", nullable: true),
                    nickname = table.Column<string>(type: "text", nullable: true),
                    picture = table.Column<string>(type: "text", nullable: true),
                    password_hash = table.Column<string>(type: "text", nullable: true),
                    external_key = table.Column<string>(type: "text", nullable: true),
                    identities = table.Column<string>(type: "text", nullable: false),
                    user_metadata = table.Column<string>(type: "text", nullable: true),
                    app_metadata = table.Column<string>(type: "text", nullable: true),
                    attributes = table.Column<string>(type: "text", nullable: true),
                    blocked = table.Column<bool>(type: "boolean", nullable: false),
                    created_at = table.Column<long>(type: "bigint", nullable: false),
                    updated_at = table.Column<long>(type: "bigint", nullable: false),
                    last_login = table.Column<long>(type: "bigint", nullable: true),
                    last_ip = table.Column<string>(type: "text", nullable: true),
                    logins_count = table.Column<int>(type: "integer", nullable: false),
                    last_password_reset = table.Column<long>(type: "bigint", nullable: true),
                    version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_users", x => x.seq);
                });

            migrationBuilder.CreateIndex(
                name: "IX_client_grants_audience",
                table: "client_grants",
                column: "audience");

            migrationBuilder.CreateIndex(
                name: "IX_client_grants_client_id_audience",
                table: "client_grants",
                columns: new[] { "client_id", "audience" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_client_grants_id",
                table: "client_grants",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_clients_client_id",
                table: "clients",
                column: "client_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_connections_id",
                table: "connections",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_connections_name",
                table: "connections",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_logs_date_log_id",
                table: "logs",
                columns: new[] { "date", "log_id" });

            migrationBuilder.CreateIndex(
                name: "IX_refresh_tokens_family_id",
                table: "refresh_tokens",
                column: "family_id");

            migrationBuilder.CreateIndex(
                name: "IX_refresh_tokens_token_hash",
                table: "refresh_tokens",
                column: "token_hash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_resource_servers_id",
                table: "resource_servers",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_resource_servers_identifier",
                table: "resource_servers",
                column: "identifier",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_signing_keys_kid",
                table: "signing_keys",
                column: "kid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_tenant_settings_id",
                table: "tenant_settings",
                column: "id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_users_connection_id_email_lower",
                table: "users",
                columns: new[] { "connection_id", "email_lower" },
                unique: true,
                filter: "\"email_lower\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_users_connection_id_external_key",
                table: "users",
                columns: new[] { "connection_id", "external_key" },
                unique: true,
                filter: "\"external_key\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_users_connection_id_username_lower",
                table: "users",
                columns: new[] { "connection_id", "username_lower" },
                unique: true,
                filter: "\"username_lower\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_users_email_lower",
                table: "users",
                column: "email_lower");

            migrationBuilder.CreateIndex(
                name: "IX_users_user_id",
                table: "users",
                column: "user_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "client_grants");

            migrationBuilder.DropTable(
                name: "clients");

            migrationBuilder.DropTable(
                name: "connections");

            migrationBuilder.DropTable(
                name: "logs");

            migrationBuilder.DropTable(
                name: "refresh_tokens");

            migrationBuilder.DropTable(
                name: "resource_servers");

            migrationBuilder.DropTable(
                name: "signing_keys");

            migrationBuilder.DropTable(
                name: "tenant_settings");

            migrationBuilder.DropTable(
                name: "users");
        }
    }
}
