using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Identity.Client;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>MSAL.NET's AcquireTokenByAuthorizationCode as the judge of the emulator's code redemption.</summary>
public sealed class MsalAuthCodeTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] GraphUserRead = ["https://graph.microsoft.com/User.Read"];
    private const string Scope = "openid profile offline_access https://graph.microsoft.com/User.Read";

    private IConfidentialClientApplication App() =>
        ConfidentialClientApplicationBuilder.Create(DemoDirectory.ConfidentialAppId)
            .WithClientSecret(DemoDirectory.ConfidentialSecret)
            .WithAuthority($"{fixture.Emulator.BaseUrl}{DemoDirectory.TenantDomain}/")
            .WithRedirectUri(Browser.WebRedirect)
            .WithInstanceDiscovery(false) // no traffic may leave loopback
            .WithHttpClientFactory(new TrustingMsalHttpClientFactory(fixture.Emulator))
            .Build();

    [Fact]
    public async Task Msal_redeems_a_code_from_the_sign_in_page_with_pkce()
    {
        using var browser = new Browser(fixture.Emulator);
        var (verifier, challenge) = Browser.Pkce();
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(scope: Scope, challenge: challenge), DemoDirectory.Adele);

        var result = await App().AcquireTokenByAuthorizationCode(GraphUserRead, code).WithPkceCodeVerifier(verifier).ExecuteAsync();

        Assert.Equal(DemoDirectory.Adele, result.Account.Username);
        Assert.Equal(DemoDirectory.TenantId, result.TenantId);
        Assert.Equal($"{DemoDirectory.AdeleId}.{DemoDirectory.TenantId}", result.Account.HomeAccountId.Identifier);
        Assert.Contains("User.Read", result.Scopes);
        Assert.Equal("n-456", result.ClaimsPrincipal.FindFirst("nonce")?.Value);
        Assert.Equal("00000003-0000-0000-c000-000000000000", JwtParts.Decode(result.AccessToken).Claim("aud"));
    }

    [Fact]
    public async Task Msal_redeems_the_code_of_a_user_who_passed_mfa()
    {
        using var browser = new Browser(fixture.Emulator);
        var mfaPage = await browser.AuthorizeAndSignInAsync(Browser.AuthorizeUrl(scope: Scope), DemoDirectory.MfaUser);
        var answer = await browser.SubmitAsync(mfaPage, ("otc", fixture.Emulator.PendingMfaCode(DemoDirectory.MfaUser)!));

        var result = await App().AcquireTokenByAuthorizationCode(GraphUserRead, answer.RedirectParameter("code")).ExecuteAsync();

        Assert.Equal(DemoDirectory.MfaUser, result.Account.Username);
        Assert.Contains("mfa", JwtParts.Decode(result.AccessToken).Payload.GetProperty("amr").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task Msal_sees_a_replayed_code_as_invalid_grant_54005()
    {
        using var browser = new Browser(fixture.Emulator);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(scope: Scope), DemoDirectory.Megan);
        await App().AcquireTokenByAuthorizationCode(GraphUserRead, code).ExecuteAsync();

        var e = await Assert.ThrowsAsync<MsalUiRequiredException>(() => App().AcquireTokenByAuthorizationCode(GraphUserRead, code).ExecuteAsync());

        Assert.Equal("invalid_grant", e.ErrorCode);
        Assert.Contains("AADSTS54005", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_reports_a_wrong_verifier_as_invalid_grant_501481()
    {
        using var browser = new Browser(fixture.Emulator);
        var code = await browser.CodeAsync(Browser.AuthorizeUrl(scope: Scope, challenge: Browser.Pkce().Challenge), DemoDirectory.Adele);

        var e = await Assert.ThrowsAsync<MsalUiRequiredException>(() =>
            App().AcquireTokenByAuthorizationCode(GraphUserRead, code).WithPkceCodeVerifier(Browser.Pkce().Verifier).ExecuteAsync());

        Assert.Contains("AADSTS501481", e.Message, StringComparison.Ordinal);
    }
}
