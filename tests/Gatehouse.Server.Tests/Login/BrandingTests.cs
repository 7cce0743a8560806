using System.Net;
using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Login;

/// <summary>/api/v2/branding: only hex colours and https URLs are stored, and the login page shows them.</summary>
public sealed class BrandingTests
{
    [Fact]
    public async Task Branding_takes_hex_colours_and_https_urls_only_and_the_page_uses_them()
    {
        await using var world = await LoginWorld.StartAsync();
        var management = world.Tenant.Management;

        foreach (var bad in new object[]
        {
            new { colors = new { primary = "red;}</style><script>" } },
            new { colors = new { primary = "#12345" } },
            new { colors = new { text = "#ffffff" } },
            new { logo_url = "javascript:alert(1)" },
            new { logo_url = "http://cdn.example/logo.png" },
            new { template = "x" },
        })
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await management.PatchAsJsonAsync("branding", bad)).StatusCode);
        }
        Assert.Equal("{}", (await HttpAssert.OkJsonAsync(await management.GetAsync("branding"))).GetRawText());

        var saved = await HttpAssert.OkJsonAsync(await management.PatchAsJsonAsync("branding", new { colors = new { primary = "#FFD700" }, logo_url = "https://cdn.example/brand.png" }));
        Assert.Equal("#FFD700", saved.GetProperty("colors").GetProperty("primary").GetString());
        // Not a tenant setting: /tenants/settings does not show it.
        Assert.False((await HttpAssert.OkJsonAsync(await management.GetAsync("tenants/settings"))).TryGetProperty("branding", out _));

        using var browser = world.NewBrowser();
        var css = await browser.Http.GetStringAsync("u/branding.css");
        Assert.Equal(":root { --brand: #ffd700; --brand-ink: #000000; }\n", css); // gold takes black text (contrast over 4.5:1)
        var state = await browser.AuthorizeAsync(world.WebClientId);
        var (_, html) = await browser.OpenLoginAsync(state);
        Assert.Contains("<img class=\"logo\" src=\"https://cdn.example/brand.png\"", html, StringComparison.Ordinal);

        using var readOnly = await world.Tenant.ManagementWithScopesAsync("read:branding");
        Assert.Equal(HttpStatusCode.Forbidden, (await readOnly.PatchAsJsonAsync("branding", new { colors = new { primary = "#000000" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("branding")).StatusCode);
        await HttpAssert.OkJsonAsync(await management.PatchAsJsonAsync("branding", new { colors = new { primary = (string?)null } }));
        Assert.Equal(":root { --brand: #0b5cad; --brand-ink: #ffffff; }\n", await browser.Http.GetStringAsync("u/branding.css"));
    }
}
