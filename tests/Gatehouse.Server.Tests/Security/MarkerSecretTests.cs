using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests.Security;

/// <summary>
/// Signs in with a unique marker password through every path (database connection, waad against the emulator with
/// its refusals and faults, /oauth/ro, malformed requests, client errors), then searches everything Gatehouse
/// produced: every server log line at Trace, every response (status, headers, body), the audit log read through the
/// Management API, and every file of the data directory (the SQLite database, its -wal and -shm, keys, bootstrap).
/// The marker password must appear nowhere, not even base64-encoded. Every category logs at Trace whatever the
/// configuration files say, the pipeline's and the upstream calls' own events included, and the Prometheus scrape is
/// searched too. A marker client secret and a marker connection
/// client_secret must not appear in plain text in the logs or the files (the Management API shows them to callers
/// with read:client_keys / read:connections_options, as Auth0 does, so responses are not searched for them).
/// </summary>
public sealed class MarkerSecretTests
{
    private const string Tenant = DemoDirectory.TenantId;
    private const string Domain = "@" + DemoDirectory.TenantDomain;

    [Fact]
    public async Task A_marker_password_and_marker_secrets_appear_in_no_log_response_audit_event_or_data_file()
    {
        var id = Guid.NewGuid().ToString("N");
        var password = $"MarkerPw-{id}";
        var clientSecret = $"MarkerClientSecret-{id}";
        var connectionSecret = $"MarkerConnectionSecret-{id}";

        await using var emulator = await AzureAdEmulator.StartAsync(new EmulatorOptions());
        var logs = new CapturingLoggerProvider();
        var metricsPort = FreeLoopbackPort();
        var tenant = await TestTenant.StartAsync(c =>
        {
            c["Logging:LogLevel:Default"] = "Trace";
            c["Logging:LogLevel:Microsoft"] = "Trace";
            c["Logging:LogLevel:Microsoft.AspNetCore"] = "Trace";
            c["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Trace";
            c["Logging:LogLevel:System"] = "Trace";
            c["Logging:Console:LogLevel:Default"] = "None"; // the capture is the point; the console would only slow the run
            c["AzureAd:AuthorityUrl"] = emulator.BaseUrl;
            c["AzureAd:GraphUrl"] = emulator.MicrosoftGraphBaseUrl;
            c["AzureAd:AadGraphUrl"] = emulator.AadGraphBaseUrl;
            c["AzureAd:TrustedCaFile"] = emulator.CaCertificatePath;
            c["Observability:MetricsUrls"] = $"http://127.0.0.1:{metricsPort}";
        }, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            // Every category at Trace, whatever a configuration file narrows; the console stays off (it only slows the run).
            services.PostConfigure<LoggerFilterOptions>(o =>
            {
                o.Rules.Clear();
                o.MinLevel = LogLevel.Trace;
                o.Rules.Add(new LoggerFilterRule("Console", null, LogLevel.None, null));
            });
        });
        await using var server = tenant.Server;
        var seen = new Responses(server.Client);

        // Users: a database user and Azure AD users whose password is the marker, each set up for one outcome.
        var dbUser = "marker.db@example.com";
        await seen.SetupAsync(await tenant.Management.PostAsJsonAsync("users", new { connection = TestTenant.Connection, email = dbUser, password, email_verified = true }));
        string Upn(string name) => name + Domain;
        void AzureUser(string name, bool mfa = false, bool locked = false, string? pw = null) => emulator.Directory.UpsertUser(new SeedUser
        {
            Id = Guid.NewGuid().ToString(),
            TenantId = Tenant,
            UserPrincipalName = Upn(name),
            Password = pw ?? password,
            DisplayName = name,
            MfaRequired = mfa,
            Locked = locked,
        });
        AzureUser("marker.ok");
        AzureUser("marker.other", pw: "Not-The-Marker-1");
        AzureUser("marker.mfa", mfa: true);
        AzureUser("marker.locked", locked: true);
        AzureUser("marker.down");
        AzureUser("marker.throttled");
        emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, User = Upn("marker.down"), Kind = FaultKind.ServerError, Status = 503 });
        emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, User = Upn("marker.throttled"), Kind = FaultKind.Throttle, RetryAfterSeconds = 5 });

        // Connections: waad with a marker client_secret, and one through an app without consent (AADSTS65001).
        await seen.SetupAsync(await tenant.Management.PostAsJsonAsync("connections", new
        {
            name = "marker-waad",
            strategy = "waad",
            enabled_clients = new[] { tenant.NativeClientId },
            options = new { tenant_domain = DemoDirectory.TenantDomain, app_id = DemoDirectory.WebApiAppIdUri, client_id = DemoDirectory.NativeAppId, client_secret = connectionSecret },
        }), secretsExpected: true);
        await seen.SetupAsync(await tenant.Management.PostAsJsonAsync("connections", new
        {
            name = "marker-unconsented",
            strategy = "waad",
            enabled_clients = new[] { tenant.NativeClientId },
            options = new { tenant_domain = DemoDirectory.TenantDomain, app_id = DemoDirectory.WebApiAppIdUri, client_id = DemoDirectory.UnconsentedAppId },
        }));

        // A confidential client whose secret is a marker, allowed password-realm on the database connection.
        var confidential = await seen.SetupAsync(await tenant.Management.PostAsJsonAsync("clients", new
        {
            name = "Marker backend",
            app_type = "regular_web",
            token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "client_credentials", Realm },
        }), secretsExpected: true);
        var confidentialId = JsonDocument.Parse(confidential).RootElement.GetProperty("client_id").GetString()!;
        await seen.SetupAsync(await tenant.Management.PatchAsJsonAsync($"clients/{confidentialId}", new { client_secret = clientSecret }), secretsExpected: true);
        await seen.SetupAsync(await tenant.Management.PatchAsJsonAsync($"connections/{tenant.ConnectionId}/clients", new[] { new { client_id = confidentialId, status = true } }));
        await seen.SetupAsync(await tenant.Management.PostAsJsonAsync("client-grants", new { client_id = confidentialId, audience = TestTenant.ApiAudience, scope = new[] { "read:things" } }));

        var native = tenant.NativeClientId;
        (string, string)[] RealmLogin(string realm, string user, string pw, string clientId) =>
            [("grant_type", Realm), ("client_id", clientId), ("realm", realm), ("username", user), ("password", pw), ("scope", "openid profile email offline_access")];

        // Database connection: success (password and password-realm, form and JSON), wrong password, unknown user.
        await seen.FormAsync("oauth/token", 200, ("grant_type", "password"), ("client_id", native), ("username", dbUser), ("password", password), ("scope", "openid offline_access"));
        await seen.FormAsync("oauth/token", 200, RealmLogin(TestTenant.Connection, dbUser, password, native));
        await seen.JsonAsync("oauth/token", 200, new { grant_type = Realm, client_id = native, realm = TestTenant.Connection, username = dbUser, password });
        await seen.FormAsync("oauth/token", 403, RealmLogin(TestTenant.Connection, TestTenant.UserEmail, password, native));
        await seen.FormAsync("oauth/token", 403, RealmLogin(TestTenant.Connection, "nobody@example.com", password, native));

        // Azure AD: success (also at /oauth/ro), wrong password, MFA required, locked, consent missing, unknown user, then
        // the upstream down and throttling (last: they open the connection's circuit breaker).
        await seen.FormAsync("oauth/token", 200, RealmLogin("marker-waad", Upn("marker.ok"), password, native));
        await seen.JsonAsync("oauth/ro", 200, new { client_id = native, connection = "marker-waad", grant_type = "password", username = Upn("marker.ok"), password, scope = "openid" });
        await seen.FormAsync("oauth/token", 403, RealmLogin("marker-waad", Upn("marker.other"), password, native));
        await seen.FormAsync("oauth/token", null, RealmLogin("marker-waad", Upn("marker.mfa"), password, native));
        await seen.FormAsync("oauth/token", null, RealmLogin("marker-waad", Upn("marker.locked"), password, native));
        await seen.FormAsync("oauth/token", null, RealmLogin("marker-unconsented", Upn("marker.ok"), password, native));
        await seen.FormAsync("oauth/token", null, RealmLogin("marker-waad", Upn("nobody"), password, native));
        await seen.FormAsync("oauth/token", 503, RealmLogin("marker-waad", Upn("marker.down"), password, native));
        await seen.FormAsync("oauth/token", 503, RealmLogin("marker-waad", Upn("marker.throttled"), password, native));

        // Legacy /oauth/ro on the database connection, right and wrong.
        await seen.JsonAsync("oauth/ro", 200, new { client_id = native, connection = TestTenant.Connection, grant_type = "password", username = dbUser, password, scope = "openid" });
        await seen.JsonAsync("oauth/ro", 401, new { client_id = native, connection = TestTenant.Connection, grant_type = "password", username = TestTenant.UserEmail, password });

        // The confidential client: its marker secret in the body and in Basic, right and wrong, with the marker password.
        await seen.FormAsync("oauth/token", 200, [("grant_type", "client_credentials"), ("client_id", confidentialId), ("client_secret", clientSecret), ("audience", TestTenant.ApiAudience)]);
        await seen.FormAsync("oauth/token", 200, [.. RealmLogin(TestTenant.Connection, dbUser, password, confidentialId), ("client_secret", clientSecret)]);
        await seen.SendAsync(401, Basic(confidentialId, password, RealmLogin(TestTenant.Connection, dbUser, password, confidentialId)));
        await seen.SendAsync(200, Basic(confidentialId, clientSecret, RealmLogin(TestTenant.Connection, dbUser, password, confidentialId)));
        await seen.FormAsync("oauth/token", 401, [.. RealmLogin(TestTenant.Connection, dbUser, password, confidentialId), ("client_secret", password)]);

        // Malformed and refused requests that carry the marker.
        await seen.RawAsync("oauth/token", $"grant_type=password&client_id={native}&username={dbUser}&password={password}&password={password}", "application/x-www-form-urlencoded");
        await seen.RawAsync("oauth/token", $"{{\"grant_type\":\"password\",\"client_id\":\"{native}\",\"username\":5,\"password\":\"{password}\"}}", "application/json");
        await seen.RawAsync("oauth/token", $"{{\"grant_type\":\"password\",\"password\":\"{password}\"", "application/json");
        await seen.RawAsync("oauth/token", $"password={password}", "text/plain");
        await seen.RawAsync("oauth/token", $"grant_type=password&client_id={native}&username={dbUser}&password={password}%FF%FE", "application/x-www-form-urlencoded");
        await seen.RawAsync("oauth/token", $"grant_type=password&client_id={native}&username={dbUser}&password={password}&pad={new string('x', 70_000)}", "application/x-www-form-urlencoded");
        await seen.FormAsync("oauth/token", 400, ("grant_type", "password"), ("client_id", native), ("password", password));
        await seen.FormAsync("oauth/token", 400, ("grant_type", "urn:unknown"), ("client_id", native), ("username", dbUser), ("password", password));
        await seen.FormAsync("oauth/token", 401, ("grant_type", "password"), ("client_id", "no-such-client"), ("username", dbUser), ("password", password));
        await seen.FormAsync("oauth/token", 400, RealmLogin("no-such-connection", dbUser, password, native));
        await seen.FormAsync("oauth/ro", null, ("grant_type", "password"), ("client_id", native), ("connection", TestTenant.Connection), ("username", dbUser), ("password", password + "\u0000"));
        await seen.FormAsync("oauth/revoke", 200, ("client_id", native), ("token", password)); // RFC 7009: unknown tokens succeed

        // What an administrator reads: the audit log (every page) and the users.
        for (var page = 0; ; page++)
        {
            var body = await seen.SetupAsync(await tenant.Management.GetAsync($"logs?per_page=100&page={page}"));
            if (JsonDocument.Parse(body).RootElement.GetArrayLength() < 100)
                break;
        }
        await seen.SetupAsync(await tenant.Management.GetAsync("users?per_page=100"));

        // What a metrics scraper reads (after the exporter's response cache has expired).
        await Task.Delay(Hosting.Observability.ScrapeCacheMilliseconds + 100);
        using var metricsClient = new HttpClient();
        var metrics = await metricsClient.GetStringAsync($"http://127.0.0.1:{metricsPort}/metrics");
        Assert.Contains("gatehouse_token_requests_total", metrics, StringComparison.Ordinal);

        // Everything written to the data directory (read while the server runs, so the -wal is still there).
        var files = Directory.EnumerateFiles(server.DataDir, "*", SearchOption.AllDirectories).ToDictionary(f => f, ReadShared);
        Assert.Contains(files.Keys, f => f.EndsWith("-wal", StringComparison.Ordinal) || f.EndsWith(".db", StringComparison.Ordinal));
        Assert.True(logs.Lines.Count > 100, $"only {logs.Lines.Count} log lines: Trace logging is not captured");
        Assert.Contains(logs.Lines, l => l.Contains("oauth/token", StringComparison.Ordinal)); // the capture sees the requests
        foreach (var ownEvent in new[] { "[TokenIssued]", "[TokenRefused]", "[UpstreamAnswered]" })
            Assert.True(logs.Lines.Any(l => l.Contains(ownEvent, StringComparison.Ordinal)), $"no {ownEvent} event was captured");
        Assert.Contains(logs.Lines, l => l.StartsWith("Trace ", StringComparison.Ordinal));

        foreach (var (name, form) in Forms(password))
        {
            Assert.False(logs.AllText.Contains(form, StringComparison.Ordinal), $"the marker password ({name}) is in the server log:\n{Around(logs.AllText, form)}");
            Assert.False(seen.Text.Contains(form, StringComparison.Ordinal), $"the marker password ({name}) is in a response:\n{Around(seen.Text, form)}");
            Assert.False(metrics.Contains(form, StringComparison.Ordinal), $"the marker password ({name}) is in the metrics");
            AssertNotInFiles(files, form, $"the marker password ({name})");
        }
        foreach (var (label, secret) in new[] { ("client secret", clientSecret), ("connection client_secret", connectionSecret) })
        {
            Assert.False(logs.AllText.Contains(secret, StringComparison.Ordinal), $"the marker {label} is in the server log:\n{Around(logs.AllText, secret)}");
            Assert.False(metrics.Contains(secret, StringComparison.Ordinal), $"the marker {label} is in the metrics");
            Assert.False(seen.TextWithoutSecretReads.Contains(secret, StringComparison.Ordinal), $"the marker {label} is in a response that is not a secret read");
            AssertNotInFiles(files, secret, $"the marker {label}");
        }
    }

    private const string Realm = "http://auth0.com/oauth/grant-type/password-realm";

    private static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The marker as sent, and base64url-encoded at each of the three byte alignments (as inside a JWT).</summary>
    private static IEnumerable<(string Name, string Text)> Forms(string marker)
    {
        yield return ("plain", marker);
        var bytes = Encoding.UTF8.GetBytes(marker);
        for (var shift = 0; shift < 3; shift++)
        {
            var encoded = Core.Security.Base64Url.Encode([.. new byte[shift], .. bytes]);
            yield return ($"base64url, offset {shift}", encoded[(shift * 4 / 3 + 2)..^3]);
        }
    }

    private static void AssertNotInFiles(Dictionary<string, byte[]> files, string text, string what)
    {
        foreach (var (path, content) in files)
        {
            Assert.False(content.AsSpan().IndexOf(Encoding.UTF8.GetBytes(text)) >= 0, $"{what} is in {Path.GetFileName(path)} (UTF-8)");
            Assert.False(content.AsSpan().IndexOf(Encoding.Unicode.GetBytes(text)) >= 0, $"{what} is in {Path.GetFileName(path)} (UTF-16)");
        }
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static string Around(string text, string needle)
    {
        var at = text.IndexOf(needle, StringComparison.Ordinal);
        return at < 0 ? "" : text[Math.Max(0, at - 300)..Math.Min(text.Length, at + needle.Length + 300)];
    }

    private static HttpRequestMessage Basic(string clientId, string secret, (string, string)[] form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "oauth/token") { Content = new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Item1, p.Item2))) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return request;
    }

    /// <summary>Sends requests and keeps every response's status line, headers and body.</summary>
    private sealed class Responses(HttpClient client)
    {
        private readonly StringBuilder _all = new();
        private readonly StringBuilder _withoutSecretReads = new();

        public string Text => _all.ToString();

        /// <summary>Everything but the Management API answers that show a secret to a caller allowed to read it.</summary>
        public string TextWithoutSecretReads => _withoutSecretReads.ToString();

        public async Task<string> RecordAsync(HttpResponseMessage response, bool secretsExpected = false)
        {
            var body = await response.Content.ReadAsStringAsync();
            var text = $"{(int)response.StatusCode} {response.RequestMessage?.RequestUri}\n{response.Headers}{response.Content.Headers}\n{body}\n";
            _all.Append(text);
            if (!secretsExpected)
                _withoutSecretReads.Append(text);
            return body;
        }

        /// <summary>A Management API call the test needs to succeed.</summary>
        public async Task<string> SetupAsync(HttpResponseMessage response, bool secretsExpected = false)
        {
            var body = await RecordAsync(response, secretsExpected);
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {body}");
            return body;
        }

        public async Task SendAsync(int? status, HttpRequestMessage request)
        {
            using var response = await client.SendAsync(request);
            var body = await RecordAsync(response);
            if (status is not null)
                Assert.True((int)response.StatusCode == status, $"{request.RequestUri}: expected {status}, got {(int)response.StatusCode} {body}");
            else
                Assert.True((int)response.StatusCode is >= 400 and < 500, $"{request.RequestUri}: expected a refusal, got {(int)response.StatusCode} {body}");
        }

        public Task FormAsync(string path, int? status, params (string Name, string Value)[] form) =>
            SendAsync(status, new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form.Select(p => KeyValuePair.Create(p.Name, p.Value))) });

        public Task JsonAsync(string path, int status, object body) =>
            SendAsync(status, new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) });

        public Task RawAsync(string path, string body, string contentType) =>
            SendAsync(null, new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) });
    }
}
