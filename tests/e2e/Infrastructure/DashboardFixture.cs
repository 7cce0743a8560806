using System.Text.Json;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Gatehouse.Dashboard.Tests.Infrastructure;

/// <summary>
/// One Gatehouse for the whole suite, started with --demo (the in-process Azure AD emulator and its two waad connections
/// to contoso.onmicrosoft.com), and one headless Chromium: Debian's /usr/bin/chromium, or GATEHOUSE_CHROMIUM. Playwright
/// never downloads a browser. Tests share the server, so each one creates what it changes under its own names.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public GatehouseTestServer Server { get; private set; } = null!;
    public JsonElement Demo { get; private set; }
    public string AdminEmail { get; private set; } = "";
    public string AdminPassword { get; private set; } = "";
    public IPlaywright Playwright { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Screenshots of each page: GATEHOUSE_SCREENSHOTS, else &lt;test output&gt;/TestResults/screenshots.</summary>
    public string ScreenshotDir { get; } = Environment.GetEnvironmentVariable("GATEHOUSE_SCREENSHOTS") is { Length: > 0 } dir
        ? dir
        : Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        Server = await GatehouseTestServer.StartAsync(c =>
        {
            c["Gatehouse:Demo"] = "true";
            // The whole suite signs in from 127.0.0.1 within a minute, more often than the per-address limit allows.
            c["RateLimits:DashboardSignIn:Limit"] = "1000";
        });
        Demo = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Server.DataDir, DemoSeeder.DemoFileName))).RootElement;
        AdminEmail = Demo.GetProperty("dashboard").GetProperty("email").GetString()!;
        AdminPassword = Demo.GetProperty("dashboard").GetProperty("password").GetString()!;
        Directory.CreateDirectory(ScreenshotDir);

        var chromium = Environment.GetEnvironmentVariable("GATEHOUSE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        if (!File.Exists(chromium))
            throw new InvalidOperationException($"Chromium not found at {chromium}: apt-get install chromium (scripts/lib/prerequisites.sh does), or set GATEHOUSE_CHROMIUM.");
        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = chromium,
            Headless = true,
            // Root in CI containers cannot use Chromium's sandbox.
            Args = Environment.UserName == "root" ? ["--no-sandbox"] : [],
        });
    }

    /// <summary>A fresh browser context (own cookies) trusting nothing but the test server's loopback certificate.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Server.BaseUrl,
            IgnoreHTTPSErrors = true, // the server's dev certificate, on 127.0.0.1 only
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    public async Task<IPage> SignedInPageAsync(string? email = null, string? password = null)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/dashboard/signin");
        await page.GetByLabel("Email").FillAsync(email ?? AdminEmail);
        await page.GetByLabel("Password").FillAsync(password ?? AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForURLAsync(Server.BaseUrl + "/dashboard");
        return page;
    }

    public Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        Playwright.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
