using System.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Connections.Database;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Dashboard.Auth;
using Gatehouse.Core.Admin;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// --demo: a database connection (the default directory), a native app (password grant), a browser app (authorization
/// code + PKCE on a loopback callback), an API with offline access and two users with fixed passwords; with the
/// in-process Azure AD emulator also three waad connections to the same tenant (the connection payload of docs/waad.md,
/// one that reads groups from Microsoft Graph, and "Microsoft" on the emulator's Web app registration, which the
/// browser app's login page offers). Writes &lt;data-dir&gt;/demo.json and prints
/// ready-to-paste curl commands. Idempotent. Every write goes through the admin layer as <see cref="Actor"/>, so each
/// change is audited naming the system.
/// </summary>
public sealed class DemoSeeder(IGatehouseStore store, ClientAdmin clients, ConnectionAdmin connections, UserAdmin users,
    ResourceServerAdmin resourceServers, TenantSettingsAdmin tenantSettings, TenantIssuer issuer, GatehouseSettings settings,
    AzureAdEmulator? emulator = null)
{
    public static readonly AdminActor Actor = AdminActor.System("demo");

    public const string DemoFileName = "demo.json";
    public const string ConnectionName = "Username-Password-Authentication";
    public const string ApiAudience = "https://api.demo.gatehouse.local/";
    private const string NativeRole = "demo-native";
    private const string BrowserRole = "demo-browser";

    /// <summary>The browser app's callback: a loopback address (RFC 8252 §7.3) where nothing needs to listen; the code shows in the address bar.</summary>
    public const string BrowserCallback = "http://127.0.0.1:3000/callback";

    /// <summary>The waad connection of the browser flow: the emulator's Web app registration, its reply URL Gatehouse's /login/callback.</summary>
    public const string BrowserWaadConnection = "contoso";

    public static readonly IReadOnlyList<(string Email, string Password)> Users =
    [
        ("alice@demo.gatehouse.local", "Alice-Demo-Passw0rd!"),
        ("bob@demo.gatehouse.local", "Bob-Demo-Passw0rd!"),
    ];

    public async Task RunAsync(ManagementCredentials management, CancellationToken ct, DashboardCredentials? dashboard = null)
    {
        ArgumentNullException.ThrowIfNull(management);
        var native = await Bootstrapper.FindByRoleAsync(store, NativeRole, ct);
        if (native is null)
        {
            var draft = new ClientDraft("Demo Native App")
            {
                AppType = "native",
                AuthMethod = Core.Grants.TokenEndpointAuthMethods.None,
                GrantTypes = [GrantTypes.Password, GrantTypes.PasswordRealm, GrantTypes.RefreshToken, GrantTypes.LegacyRo],
                Extra = Bootstrapper.RoleMetadata(NativeRole),
            };
            (native, _) = await clients.CreateAsync(Actor, draft, ct);
        }

        var browser = await Bootstrapper.FindByRoleAsync(store, BrowserRole, ct);
        if (browser is null)
        {
            var draft = new ClientDraft("Demo Browser App")
            {
                AppType = "native",
                AuthMethod = Core.Grants.TokenEndpointAuthMethods.None,
                GrantTypes = [GrantTypes.AuthorizationCode, GrantTypes.RefreshToken],
                Extra = JsonSerializer.SerializeToElement(new Dictionary<string, object>
                {
                    ["client_metadata"] = Bootstrapper.RoleMetadata(BrowserRole).GetProperty("client_metadata"),
                    ["callbacks"] = new[] { BrowserCallback },
                }),
            };
            (browser, _) = await clients.CreateAsync(Actor, draft, ct);
        }

        var connection = await store.GetConnectionByNameAsync(ConnectionName, ct)
            ?? await connections.CreateAsync(Actor, new ConnectionDraft(ConnectionName, DatabaseConnectionStrategy.Name)
            {
                Options = JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["brute_force_protection"] = true, ["passwordPolicy"] = "good" }),
                EnabledClients = [native.ClientId, browser.ClientId],
            }, ct);
        var missing = new[] { native.ClientId, browser.ClientId }.Where(id => !connection.EnabledClients.Contains(id)).Select(id => (id, true)).ToList();
        if (missing.Count > 0)
            await connections.SetEnabledClientsAsync(Actor, connection, missing, ct);

        if (await store.GetResourceServerByIdentifierAsync(ApiAudience, ct) is null)
        {
            await resourceServers.CreateAsync(Actor, new ResourceServerDraft(ApiAudience)
            {
                Name = "Demo API",
                Scopes = [new("read:messages", "Read messages"), new("write:messages", "Write messages")],
                AllowOfflineAccess = true,
            }, ct);
        }

        if (string.IsNullOrEmpty((await tenantSettings.GetAsync(ct)).DefaultDirectory))
            await tenantSettings.UpdateAsync(Actor, new TenantSettingsChanges { DefaultDirectory = ConnectionName }, ct);

        if (emulator is not null)
        {
            foreach (var (name, options) in WaadConnections)
                await EnsureWaadConnectionAsync(name, options, [native.ClientId], $"Contoso ({name})", ct);
            // Both apps: the browser app's "Continue with Microsoft", and the password grant on the same connection (same user_id).
            await EnsureWaadConnectionAsync(BrowserWaadConnection, BrowserWaadOptions, [native.ClientId, browser.ClientId], "Microsoft", ct);
        }

        foreach (var (email, password) in Users)
        {
            if (await store.FindUserByEmailAsync(connection.Id, email, ct) is null)
                await users.CreateAsync(Actor, ConnectionName, new DatabaseUserDraft(email, null, password) { EmailVerified = true, GivenName = email.Split('@')[0] }, ct);
        }

        WriteDemoFile(management, native.ClientId, browser.ClientId, dashboard);
        await Console.Out.WriteAsync(CurlCommands(management, native.ClientId, browser.ClientId));
        if (dashboard is not null)
            await Console.Out.WriteLineAsync($"# The dashboard: {issuer.Issuer}dashboard (sign in as {dashboard.Email}; the password is in {DemoFileName})");
    }

    /// <summary>Two connections on one Azure AD tenant: the payload of docs/waad.md (v2, Web API App ID URI, Native app), and Graph profile + groups.</summary>
    private static readonly (string Name, Dictionary<string, object> Options)[] WaadConnections =
    [
        ("contoso-native", new()
        {
            ["tenant_domain"] = DemoDirectory.TenantDomain,
            ["app_id"] = DemoDirectory.WebApiAppIdUri,
            ["client_id"] = DemoDirectory.NativeAppId,
            ["client_secret"] = "any_value",
        }),
        ("contoso-graph", new()
        {
            ["tenant_domain"] = DemoDirectory.TenantDomain,
            ["app_id"] = "https://graph.microsoft.com",
            ["client_id"] = DemoDirectory.NativeAppId,
            ["ext_profile"] = true,
            ["ext_groups"] = true,
        }),
    ];

    /// <summary>
    /// The Web app registration (Gatehouse Backend) with its secret: it may redeem a code sent to /login/callback, and the
    /// password grant accepts it too. Its domains send those emails from the login page straight to Azure AD.
    /// </summary>
    private static readonly Dictionary<string, object> BrowserWaadOptions = new()
    {
        ["tenant_domain"] = DemoDirectory.TenantDomain,
        ["domain_aliases"] = new[] { DemoDirectory.VerifiedDomain },
        ["client_id"] = DemoDirectory.ConfidentialAppId,
        ["client_secret"] = DemoDirectory.ConfidentialSecret,
    };

    private static readonly (string Upn, string Demonstrates)[] WaadUsers =
    [
        (DemoDirectory.Adele, "a plain successful login; a few groups through contoso-graph"),
        (DemoDirectory.Megan, "more than 200 groups (overage): groups come from Graph paging through contoso-graph"),
        (DemoDirectory.MfaUser, "MFA required: 403 mfa_required from the password grant; signs in through the browser (contoso) with the emulator's MFA code"),
        (DemoDirectory.BlockedUser, "conditional access blocks the sign-in: 403 access_denied"),
        (DemoDirectory.ExpiredPasswordUser, "password expired: 403 password_change_required"),
        (DemoDirectory.LockedUser, "locked at Azure AD (smart lockout): 401 unauthorized"),
        (DemoDirectory.DisabledUser, "account disabled: 401 unauthorized"),
        (DemoDirectory.FederatedUser, "federated (AD FS) user whose password Azure AD cannot check: a typed refusal"),
    ];

    private static readonly (string AppId, string Role)[] AppRegistrations =
    [
        (DemoDirectory.WebApiAppId, $"Web app/API, App ID URI {DemoDirectory.WebApiAppIdUri}: the app_id of docs/waad.md"),
        (DemoDirectory.NativeAppId, "Native (public) app with consented permissions: the client_id of docs/waad.md"),
        (DemoDirectory.ConfidentialAppId, "Web app (Gatehouse Backend) with a valid secret, reply URL https://127.0.0.1/login/callback (any port): the connection contoso"),
        (DemoDirectory.UnconsentedAppId, "public app whose permissions were never consented (AADSTS65001)"),
        (DemoDirectory.AssignmentRequiredAppId, "public app with user assignment required (only Adele is assigned)"),
        (DemoDirectory.ExpiredSecretAppId, "confidential app whose only secret expired"),
    ];

    private async Task EnsureWaadConnectionAsync(string name, Dictionary<string, object> options, string[] clientIds, string displayName, CancellationToken ct)
    {
        if (await store.GetConnectionByNameAsync(name, ct) is not null)
            return;
        await connections.CreateAsync(Actor, new ConnectionDraft(name, WaadConnectionStrategy.StrategyName)
        {
            Options = JsonSerializer.SerializeToElement(options),
            EnabledClients = clientIds,
            DisplayName = displayName,
        }, ct);
    }

    private static IEnumerable<string> WaadConnectionNames => [.. WaadConnections.Select(c => c.Name), BrowserWaadConnection];

    private string? CaFile => settings.DevCert ? settings.DataFile(DevCertificate.CaFileName) : null;

    private void WriteDemoFile(ManagementCredentials management, string nativeClientId, string browserClientId, DashboardCredentials? dashboard)
    {
        var demo = new Dictionary<string, object?>
        {
            ["issuer"] = issuer.Issuer,
            ["ca_file"] = CaFile,
            ["management"] = new Dictionary<string, string> { ["client_id"] = management.ClientId, ["client_secret"] = management.ClientSecret, ["audience"] = management.Audience },
            ["native_client_id"] = nativeClientId,
            ["browser_client_id"] = browserClientId,
            ["browser_callback"] = BrowserCallback,
            ["connections"] = emulator is null ? new[] { ConnectionName } : [ConnectionName, .. WaadConnectionNames],
            ["api_audience"] = ApiAudience,
            ["users"] = Users.Select(u => new Dictionary<string, string> { ["email"] = u.Email, ["password"] = u.Password }).ToList(),
        };
        if (dashboard is not null)
        {
            demo["dashboard"] = new Dictionary<string, string>
            {
                ["url"] = issuer.Issuer + "dashboard",
                ["email"] = dashboard.Email,
                ["password"] = dashboard.Password,
            };
        }
        if (emulator is not null)
        {
            demo["azure_ad"] = new Dictionary<string, object?>
            {
                ["emulator"] = emulator.BaseUrl,
                ["ca_file"] = emulator.CaCertificatePath,
                ["tenant"] = DemoDirectory.TenantDomain,
                ["connections"] = WaadConnectionNames.ToList(),
                ["tenant_id"] = DemoDirectory.TenantId,
                ["app_registrations"] = AppRegistrations.Select(a => new Dictionary<string, string> { ["app_id"] = a.AppId, ["role"] = a.Role }).ToList(),
                ["users"] = WaadUsers.Select(u => new Dictionary<string, string>
                {
                    ["username"] = u.Upn,
                    ["password"] = DemoDirectory.PasswordOf(u.Upn),
                    ["demonstrates"] = u.Demonstrates,
                }).ToList(),
            };
        }
        SecureFile.WriteText(settings.DataFile(DemoFileName), JsonSerializer.Serialize(demo, JsonDefaults.Indented));
    }

    private string CurlCommands(ManagementCredentials management, string nativeClientId, string browserClientId)
    {
        var curl = CaFile is { } ca ? $"curl -s --cacert '{ca}'" : "curl -s";
        var (email, password) = Users[0];
        var text = new StringBuilder();
        text.AppendLine().AppendLine($"Gatehouse demo is ready at {issuer.Issuer} (details in {settings.DataFile(DemoFileName)})").AppendLine();
        text.AppendLine("# Log in as a demo user (password grant on the default directory):");
        text.AppendLine($"{curl} {issuer.Issuer}oauth/token -d grant_type=password -d client_id={nativeClientId} -d username={email} -d '{password}' -d 'scope=openid profile email offline_access' -d audience={ApiAudience}".Replace($"-d '{password}'", $"--data-urlencode 'password={password}'", StringComparison.Ordinal));
        text.AppendLine();
        if (emulator is not null)
        {
            text.AppendLine("# Log in with Azure AD (the emulator) through the waad connection contoso-native:");
            text.AppendLine($"{curl} {issuer.Issuer}oauth/token -d grant_type=http://auth0.com/oauth/grant-type/password-realm -d realm=contoso-native -d client_id={nativeClientId} --data-urlencode username={DemoDirectory.Adele} --data-urlencode 'password={DemoDirectory.PasswordOf(DemoDirectory.Adele)}' -d 'scope=openid profile email'");
            text.AppendLine();
        }
        text.Append(BrowserCommands(curl, browserClientId));
        text.AppendLine("# A Management API token:");
        text.AppendLine($"{curl} {issuer.Issuer}oauth/token -d grant_type=client_credentials -d client_id={management.ClientId} -d client_secret={management.ClientSecret} -d audience={management.Audience}");
        text.AppendLine();
        text.AppendLine("# Then: " + curl + $" -H \"Authorization: Bearer $TOKEN\" {issuer.Issuer}api/v2/users");
        return text.ToString();
    }

    /// <summary>The browser flow of the browser app: a PKCE pair, the /authorize URL to open, the code exchange.</summary>
    private string BrowserCommands(string curl, string browserClientId)
    {
        var (email, password) = Users[0];
        var text = new StringBuilder();
        text.AppendLine("# Sign in through the browser (authorization code + PKCE): make a verifier and its S256 challenge,");
        text.AppendLine("verifier=$(openssl rand -base64 48 | tr '+/' '-_' | tr -d '=\\n')");
        text.AppendLine("challenge=$(printf %s \"$verifier\" | openssl dgst -sha256 -binary | openssl base64 | tr '+/' '-_' | tr -d '=\\n')");
        text.AppendLine($"# open this URL in a browser and sign in as {email} ({password})"
            + (emulator is null ? ":" : $", or as {DemoDirectory.MfaUser} ({DemoDirectory.PasswordOf(DemoDirectory.MfaUser)}) through Microsoft:"));
        text.AppendLine($"echo \"{issuer.Issuer}authorize?response_type=code&client_id={browserClientId}&redirect_uri={Uri.EscapeDataString(BrowserCallback)}"
            + $"&scope=openid%20profile%20email%20offline_access&audience={Uri.EscapeDataString(ApiAudience)}&state=demo&code_challenge=$challenge&code_challenge_method=S256\"");
        if (emulator is not null)
            text.AppendLine($"# Azure AD's MFA code for that user: curl -s --cacert '{emulator.CaCertificatePath}' {emulator.BaseUrl.TrimEnd('/')}/_emulator/mfa-codes/{DemoDirectory.MfaUser}");
        text.AppendLine($"# The browser ends at {BrowserCallback}?code=…&state=demo&iss=… (nothing listens there); exchange the code:");
        text.AppendLine($"{curl} {issuer.Issuer}oauth/token -d grant_type=authorization_code -d client_id={browserClientId} -d code=CODE_FROM_THE_ADDRESS_BAR --data-urlencode redirect_uri={BrowserCallback} -d code_verifier=$verifier");
        text.AppendLine();
        return text.ToString();
    }
}
