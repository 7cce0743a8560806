using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Gatehouse.Dashboard.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests;

/// <summary>
/// samples/AspNetCoreWebApp, ASP.NET Core's own OpenID Connect handler, run as its own process on loopback HTTPS and
/// signing a database user in through Gatehouse in Chromium: the handler's code + PKCE request, the hosted login page,
/// the form_post answer to the sample's /callback, the claims page, and sign-out through /v2/logout back to the sample.
/// </summary>
[Collection(DashboardCollection.Name)]
public sealed class SampleWebAppTests(DashboardFixture fixture)
{
    private const string Password = "Sample-W3b-App!";

    [Fact]
    public async Task The_sample_web_app_signs_in_through_Gatehouse_shows_the_claims_and_signs_out()
    {
        var port = FreePort();
        var sampleUrl = $"https://127.0.0.1:{port}";
        using var management = await fixture.Server.CreateManagementClientAsync();
        var client = await CreatedAsync(management, "clients", new
        {
            name = "Sample Web App",
            app_type = "regular_web",
            token_endpoint_auth_method = "client_secret_post",
            grant_types = new[] { "authorization_code" },
            callbacks = new[] { sampleUrl + "/callback" },
            allowed_logout_urls = new[] { sampleUrl + "/" },
        });
        var clientId = client.GetProperty("client_id").GetString()!;
        var connection = "e2e-sample-" + Guid.NewGuid().ToString("N")[..8];
        await CreatedAsync(management, "connections", new { name = connection, strategy = "auth0", enabled_clients = new[] { clientId } });
        var email = $"{connection}@example.com";
        var user = await CreatedAsync(management, "users", new { connection, email, password = Password, email_verified = true });

        using var sample = await SampleProcess.StartAsync(fixture.Server, port, clientId, client.GetProperty("client_secret").GetString()!);

        var page = await fixture.NewPageAsync();
        await page.GotoAsync(sampleUrl + "/");
        await Assertions.Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(fixture.Server.BaseUrl + "/u/login?state=", StringComparison.Ordinal));

        await page.GetByLabel("Email address").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(sampleUrl + "/claims");
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "sub " + user.GetProperty("user_id").GetString() })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Row, new() { Name = "email " + email })).ToBeVisibleAsync();
        await fixture.ScreenshotAsync(page, "60-sample-web-app-claims");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(sampleUrl + "/");
        await Assertions.Expect(page.GetByText("You are not signed in.")).ToBeVisibleAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync([fixture.Server.BaseUrl]), c => c.Name == "auth0");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<JsonElement> CreatedAsync(HttpClient management, string path, object body)
    {
        var response = await management.PostAsJsonAsync(path, body);
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {json}");
        return json;
    }

    /// <summary>The sample's build output (the same configuration as this test's) run with dotnet, on Gatehouse's dev certificate.</summary>
    private sealed class SampleProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private SampleProcess(Process process) => _process = process;

        public static async Task<SampleProcess> StartAsync(Server.Tests.Infrastructure.GatehouseTestServer server, int port, string clientId, string clientSecret)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(SampleDll());
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add($"https://127.0.0.1:{port}");
            start.Environment["Gatehouse__Domain"] = new Uri(server.Issuer).Authority;
            start.Environment["Gatehouse__ClientId"] = clientId;
            start.Environment["Gatehouse__ClientSecret"] = clientSecret;
            start.Environment["Gatehouse__TrustedCaFile"] = server.CaCertificatePath;
            // The sample serves HTTPS with Gatehouse's own dev certificate (SAN 127.0.0.1): the OIDC handler's cookies are Secure.
            start.Environment["Kestrel__Certificates__Default__Path"] = Path.Combine(server.DataDir, "dev-cert.pfx");
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            var sample = new SampleProcess(Process.Start(start)!);
            sample._process.OutputDataReceived += (_, e) => sample.Append(e.Data);
            sample._process.ErrorDataReceived += (_, e) => sample.Append(e.Data);
            sample._process.BeginOutputReadLine();
            sample._process.BeginErrorReadLine();

            using var http = new HttpClient(server.CreateHandler());
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    if ((await http.GetAsync($"https://127.0.0.1:{port}/")).IsSuccessStatusCode)
                        return sample;
                }
                catch (HttpRequestException) when (attempt < 120 && !sample._process.HasExited)
                {
                    await Task.Delay(250);
                    continue;
                }
                sample.Dispose();
                throw new InvalidOperationException("the sample did not start:\n" + sample.Output);
            }
        }

        private string Output { get { lock (_output) return _output.ToString(); } }

        private void Append(string? line)
        {
            if (line is not null)
                lock (_output) _output.AppendLine(line);
        }

        /// <summary>samples/AspNetCoreWebApp/bin/{Configuration}/net10.0/AspNetCoreWebApp.dll of this repository (built with the solution).</summary>
        private static string SampleDll()
        {
            var configuration = typeof(SampleWebAppTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()!.Configuration;
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Gatehouse.slnx")))
                dir = dir.Parent;
            var dll = Path.Combine(dir!.FullName, "samples", "AspNetCoreWebApp", "bin", configuration, "net10.0", "AspNetCoreWebApp.dll");
            return File.Exists(dll) ? dll : throw new FileNotFoundException("build the sample first (dotnet build Gatehouse.slnx)", dll);
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
