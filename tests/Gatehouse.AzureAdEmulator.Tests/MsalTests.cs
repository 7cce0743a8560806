using Gatehouse.AzureAd.Emulator.Tests.Support;
using Microsoft.Identity.Client;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>Microsoft's own client (MSAL.NET) as the judge of the emulator's v2 ROPC over HTTPS.</summary>
public sealed class MsalTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly string[] GraphUserRead = ["https://graph.microsoft.com/User.Read"];

    private IPublicClientApplication App(string clientId = DemoDirectory.NativeAppId, string tenant = DemoDirectory.TenantDomain) =>
        PublicClientApplicationBuilder.Create(clientId)
            .WithAuthority($"{fixture.Emulator.BaseUrl}{tenant}/")
            .WithInstanceDiscovery(false) // no traffic may leave loopback
            .WithHttpClientFactory(new TrustingMsalHttpClientFactory(fixture.Emulator))
            .Build();

    private static Task<AuthenticationResult> LoginAsync(IPublicClientApplication app, string user, string? password = null, string[]? scopes = null)
    {
#pragma warning disable CS0618 // ROPC is exactly what the broker does; MSAL marks it obsolete only to steer apps elsewhere.
        return app.AcquireTokenByUsernamePassword(scopes ?? GraphUserRead, user, password ?? DemoDirectory.PasswordOf(user)).ExecuteAsync();
#pragma warning restore CS0618
    }

    [Fact]
    public async Task Msal_signs_in_a_managed_user_and_parses_account_tenant_and_tokens()
    {
        var result = await LoginAsync(App(), DemoDirectory.Adele);

        Assert.Equal(DemoDirectory.Adele, result.Account.Username);
        Assert.Equal(DemoDirectory.TenantId, result.TenantId);
        Assert.Equal(DemoDirectory.AdeleId, result.UniqueId);
        Assert.Equal($"{DemoDirectory.AdeleId}.{DemoDirectory.TenantId}", result.Account.HomeAccountId.Identifier);
        Assert.Contains("User.Read", result.Scopes);
        Assert.True(result.ExpiresOn > DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.Equal("Adele Vance", result.ClaimsPrincipal.FindFirst("name")?.Value);
        var access = JwtParts.Decode(result.AccessToken);
        Assert.Equal("00000003-0000-0000-c000-000000000000", access.Claim("aud"));
        var entry = Assert.Single(fixture.Emulator.SignInLog.Entries, e => e.UserPrincipalName == DemoDirectory.Adele && e.AppId == DemoDirectory.NativeAppId && e.ResultCode == 0);
        Assert.Equal("2.0", entry.EndpointVersion);
    }

    [Fact]
    public async Task Msal_gets_a_token_for_the_web_api_scope()
    {
        var result = await LoginAsync(App(), DemoDirectory.Megan, scopes: [$"{DemoDirectory.WebApiAppIdUri}/user_impersonation"]);

        var access = JwtParts.Decode(result.AccessToken);
        Assert.Equal(DemoDirectory.WebApiAppIdUri, access.Claim("aud"));
        Assert.Equal("user_impersonation", access.Claim("scp"));
        Assert.Equal("src1", access.Payload.GetProperty("_claim_names").GetProperty("groups").GetString());
    }

    [Fact]
    public async Task Msal_reports_mfa_as_ui_required_basic_action()
    {
        var e = await Assert.ThrowsAsync<MsalUiRequiredException>(() => LoginAsync(App(), DemoDirectory.MfaUser));

        Assert.Equal("invalid_grant", e.ErrorCode);
        Assert.Equal(UiRequiredExceptionClassification.BasicAction, e.Classification);
        Assert.Contains("AADSTS50076", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_reports_missing_consent_as_ui_required_consent()
    {
        var e = await Assert.ThrowsAsync<MsalUiRequiredException>(() => LoginAsync(App(DemoDirectory.UnconsentedAppId), DemoDirectory.Adele));

        Assert.Equal("invalid_grant", e.ErrorCode);
        Assert.Equal(UiRequiredExceptionClassification.ConsentRequired, e.Classification);
        Assert.Contains("AADSTS65001", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_reports_conditional_access_block_as_a_claims_challenge()
    {
        var e = await Assert.ThrowsAsync<MsalClaimsChallengeException>(() => LoginAsync(App(), DemoDirectory.BlockedUser));

        Assert.Contains("capolids", e.Claims, StringComparison.Ordinal);
        Assert.Contains("AADSTS53003", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DemoDirectory.Adele, "wrong-password", "invalid_grant", "AADSTS50126")]
    [InlineData(DemoDirectory.DisabledUser, null, "invalid_grant", "AADSTS50057")]
    [InlineData(DemoDirectory.ExpiredPasswordUser, null, "invalid_grant", "AADSTS50055")]
    [InlineData(DemoDirectory.LockedUser, null, "invalid_grant", "AADSTS50053")]
    [InlineData("nobody@contoso.com", "whatever", "invalid_grant", "AADSTS50034")]
    public async Task Msal_reports_other_refusals_as_service_exceptions(string user, string? password, string errorCode, string aadsts)
    {
        var e = await Assert.ThrowsAnyAsync<MsalServiceException>(() => LoginAsync(App(), user, password));

        Assert.Equal(errorCode, e.ErrorCode);
        Assert.Equal(400, e.StatusCode);
        Assert.Contains(aadsts, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_refuses_a_domain_that_realm_discovery_does_not_know()
    {
        var e = await Assert.ThrowsAsync<MsalClientException>(() => LoginAsync(App(), "someone@fabrikam.example", "x"));

        Assert.Equal(MsalError.UnknownUserType, e.ErrorCode);
    }

    [Fact]
    public async Task Msal_reports_an_unknown_tenant()
    {
        var e = await Assert.ThrowsAnyAsync<MsalServiceException>(() =>
            LoginAsync(App(tenant: "11111111-2222-4333-8444-555555555555"), DemoDirectory.Adele));

        Assert.Equal("invalid_request", e.ErrorCode);
        Assert.Contains("AADSTS90002", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Msal_reports_an_unknown_client()
    {
        var e = await Assert.ThrowsAnyAsync<MsalServiceException>(() =>
            LoginAsync(App(clientId: "99999999-2222-4333-8444-555555555555"), DemoDirectory.Adele));

        Assert.Equal("unauthorized_client", e.ErrorCode);
        Assert.Contains("AADSTS700016", e.Message, StringComparison.Ordinal);
    }
}
