using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Gatehouse.Storage.Migrations.Sqlite
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
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    client_id = table.Column<string>(type: "TEXT", nullable: false),
                    audience = table.Column<string>(type: "TEXT", nullable: false),
                    scope = table.Column<string>(type: "TEXT", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_client_grants", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "clients",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    client_id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    app_type = table.Column<string>(type: "TEXT", nullable: false),
                    is_first_party = table.Column<bool>(type: "INTEGER", nullable: false),
                    token_endpoint_auth_method = table.Column<string>(type: "TEXT", nullable: false),
                    client_secret_protected = table.Column<string>(type: "TEXT", nullable: true),
                    grant_types = table.Column<string>(type: "TEXT", nullable: false),
                    is_token_endpoint_ip_header_trusted = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_global = table.Column<bool>(type: "INTEGER", nullable: false),
                    extra = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_clients", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "connections",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    strategy = table.Column<string>(type: "TEXT", nullable: false),
                    options = table.Column<string>(type: "TEXT", nullable: false),
                    enabled_clients = table.Column<string>(type: "TEXT", nullable: false),
                    realms = table.Column<string>(type: "TEXT", nullable: false),
                    display_name = table.Column<string>(type: "TEXT", nullable: true),
                    is_domain_connection = table.Column<bool>(type: "INTEGER", nullable: false),
                    show_as_button = table.Column<bool>(type: "INTEGER", nullable: false),
                    metadata = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_connections", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "logs",
                columns: table => new
                {
                    log_id = table.Column<string>(type: "TEXT", nullable: false),
                    date = table.Column<long>(type: "INTEGER", nullable: false),
                    type = table.Column<string>(type: "TEXT", nullable: false),
                    description = table.Column<string>(type: "TEXT", nullable: true),
                    client_id = table.Column<string>(type: "TEXT", nullable: true),
                    client_name = table.Column<string>(type: "TEXT", nullable: true),
                    connection_name = table.Column<string>(type: "TEXT", nullable: true),
                    connection_id = table.Column<string>(type: "TEXT", nullable: true),
                    strategy = table.Column<string>(type: "TEXT", nullable: true),
                    strategy_type = table.Column<string>(type: "TEXT", nullable: true),
                    user_id = table.Column<string>(type: "TEXT", nullable: true),
                    user_name = table.Column<string>(type: "TEXT", nullable: true),
                    ip = table.Column<string>(type: "TEXT", nullable: true),
                    client_ip = table.Column<string>(type: "TEXT", nullable: true),
                    user_agent = table.Column<string>(type: "TEXT", nullable: true),
                    audience = table.Column<string>(type: "TEXT", nullable: true),
                    scope = table.Column<string>(type: "TEXT", nullable: true),
                    details = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_logs", x => x.log_id);
                });

            migrationBuilder.CreateTable(
                name: "refresh_tokens",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    token_hash = table.Column<string>(type: "TEXT", nullable: false),
                    family_id = table.Column<string>(type: "TEXT", nullable: false),
                    client_id = table.Column<string>(type: "TEXT", nullable: false),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    audience = table.Column<string>(type: "TEXT", nullable: true),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    connection_id = table.Column<string>(type: "TEXT", nullable: true),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    expires_at = table.Column<long>(type: "INTEGER", nullable: false),
                    rotated_at = table.Column<long>(type: "INTEGER", nullable: true),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_refresh_tokens", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "resource_servers",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<string>(type: "TEXT", nullable: false),
                    identifier = table.Column<string>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", nullable: false),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    signing_alg = table.Column<string>(type: "TEXT", nullable: false),
                    token_lifetime = table.Column<int>(type: "INTEGER", nullable: false),
                    token_lifetime_for_web = table.Column<int>(type: "INTEGER", nullable: false),
                    allow_offline_access = table.Column<bool>(type: "INTEGER", nullable: false),
                    skip_consent_for_verifiable_first_party_clients = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_system = table.Column<bool>(type: "INTEGER", nullable: false),
                    extra = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_resource_servers", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "signing_keys",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    kid = table.Column<string>(type: "TEXT", nullable: false),
                    certificate_pem = table.Column<string>(type: "TEXT", nullable: false),
                    private_key_protected = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    current = table.Column<bool>(type: "INTEGER", nullable: false),
                    next = table.Column<bool>(type: "INTEGER", nullable: false),
                    revoked_at = table.Column<long>(type: "INTEGER", nullable: true),
                    publish_until = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_signing_keys", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "tenant_settings",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    id = table.Column<int>(type: "INTEGER", nullable: false),
                    friendly_name = table.Column<string>(type: "TEXT", nullable: false),
                    default_directory = table.Column<string>(type: "TEXT", nullable: false),
                    default_audience = table.Column<string>(type: "TEXT", nullable: false),
                    extra = table.Column<string>(type: "TEXT", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_tenant_settings", x => x.seq);
                });

            migrationBuilder.CreateTable(
                name: "users",
                columns: table => new
                {
                    seq = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    user_id = table.Column<string>(type: "TEXT", nullable: false),
                    connection_id = table.Column<string>(type: "TEXT", nullable: false),
                    email = table.Column<string>(type: "TEXT", nullable: true),
                    email_lower = table.Column<string>(type: "TEXT", nullable: true),
                    email_verified = table.Column<bool>(type: "INTEGER", nullable: false),
                    username = table.Column<string>(type: "TEXT", nullable: true),
                    username_lower = table.Column<string>(type: "TEXT", nullable: true),
                    phone_number = table.Column<string>(type: "TEXT", nullable: true),
                    name = table.Column<string>(type: "TEXT", nullable: true),
                    given_name = table.Column<string>(type: "TEXT", nullable: true),
                    family_name = table.Column<string>(type: "TEXT", nullable: true),
                    nickname = table.Column<string>(type: "TEXT", nullable: true),
                    picture = table.Column<string>(type: "TEXT", nullable: true),
                    password_hash = table.Column<string>(type: "TEXT", nullable: true),
                    external_key = table.Column<string>(type: "TEXT", nullable: true),
                    identities = table.Column<string>(type: "TEXT", nullable: false),
                    user_metadata = table.Column<string>(type: "TEXT", nullable: true),
                    app_metadata = table.Column<string>(type: "TEXT", nullable: true),
                    attributes = table.Column<string>(type: "TEXT", nullable: true),
                    blocked = table.Column<bool>(type: "INTEGER", nullable: false),
                    created_at = table.Column<long>(type: "INTEGER", nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_login = table.Column<long>(type: "INTEGER", nullable: true),
                    last_ip = table.Column<string>(type: "TEXT", nullable: true),
                    logins_count = table.Column<int>(type: "INTEGER", nullable: false),
                    last_password_reset = table.Column<long>(type: "INTEGER", nullable: true),
                    version = table.Column<long>(type: "INTEGER", nullable: false)
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
