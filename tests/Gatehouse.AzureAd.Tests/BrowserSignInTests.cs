using System.Text.Json.Nodes;
using System.Web;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Connections.AzureAd;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;

namespace Gatehouse.AzureAd.Tests;

/// <summary>
/// The waad connection's browser sign-in against a stub Azure AD: the authorize URL, the code redemption, the nonce,
/// the callback's AADSTS errors in Auth0's words, and one identity for the password and the browser paths.
/// </summary>
public sealed class BrowserSignInTests : WaadTestBase
{
    private const string Verifier = "dBjftJeZ4CVP-mJ92K9qnyxrxuYUnkQoKzGxybKcW7E_x";
    private const string Code = "0.AAAA-the-authorization-code-from-azure";
    private static readonly Uri Callback = new("https://gatehouse.test/login/callback");

    public BrowserSignInTests()
    {
        Azure.AppIsPublic = false;
        Azure.OnToken = r => r.Form["grant_type"] == "authorization_code" ? Redeem(r) : null;
    }

    /// <summary>The nonce the stub writes into the id_token of a redeemed code (Azure copies the authorize nonce).</summary>
    private string TokenNonce { get; set; } = "nonce-1";

    private static JsonObject V2() => With(BriefPayload(), ("client_secret", "real-secret"), ("app_id", null));

    private static JsonObject V1() => With(BriefPayload(), ("client_secret", "real-secret"), ("identity_api", WaadOptionsParser.IdentityApiV1));

    private static RedirectSignInStart Start(string? prompt = null, string? loginHint = null) =>
        new("state-1", "nonce-1", Verifier, Callback, loginHint, prompt, new LoginContext("app-client", "203.0.113.7", "test-agent", CorrelationId));

    private IRedirectConnection Browser(JsonObject options) => (IRedirectConnection)Strategy.Create(StoredConnection(options));

    private HttpResponseMessage Redeem(RecordedRequest r)
    {
        if (r.Form.GetValueOrDefault("client_secret") != Azure.AppSecret)
        {
            return StubAzure.Error(401, "invalid_client", 7000215);
        }

        if (r.Form["code"] != Code || r.Form["code_verifier"] != Verifier || r.Form["redirect_uri"] != Callback.AbsoluteUri)
        {
            return StubAzure.Error(400, "invalid_grant", 54005);
        }

        var v1 = !r.Url.AbsolutePath.Contains("/v2.0/", StringComparison.Ordinal);
        var claims = Azure.Claims(StubAzure.UserName, Azure.Users[StubAzure.UserName], v1);
        claims["nonce"] = TokenNonce;
        return StubAzure.Json(200, new JsonObject
        {
            ["token_type"] = "Bearer", ["access_token"] = "user-access-token", ["refresh_token"] = "refresh-token-1",
            ["id_token"] = v1 ? StubAzure.Unsigned(claims) : StubAzure.Signed(claims, Azure.SigningKey),
        });
    }

    private static Dictionary<string, string> Query(Uri uri)
    {
        var parsed = HttpUtility.ParseQueryString(uri.Query);
        return parsed.AllKeys.ToDictionary(k => k!, k => parsed[k]!);
    }

    [Fact]
    public async Task V2_authorize_url_asks_the_tenant_for_a_code_by_form_post_with_pkce_state_nonce_hint_and_prompt()
    {
        var url = await Browser(V2()).BeginAsync(Start(prompt: "login", loginHint: "adele@contoso.onmicrosoft.com"), CancellationToken.None);

        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/oauth2/v2.0/authorize", url.GetLeftPart(UriPartial.Path));
        var q = Query(url);
        Assert.Equal(StubAzure.ClientId, q["client_id"]);
        Assert.Equal(("code", "form_post"), (q["response_type"], q["response_mode"]));
        Assert.Equal(Callback.AbsoluteUri, q["redirect_uri"]);
        Assert.Equal(("state-1", "nonce-1"), (q["state"], q["nonce"]));
        Assert.Equal((Pkce.Challenge(Verifier), "S256"), (q["code_challenge"], q["code_challenge_method"]));
        Assert.Equal("openid profile offline_access email User.Read", q["scope"]);
        Assert.Equal(("adele@contoso.onmicrosoft.com", "login"), (q["login_hint"], q["prompt"]));
        Assert.False(q.ContainsKey("resource"));
        Assert.DoesNotContain(Verifier, url.AbsoluteUri, StringComparison.Ordinal);
        Assert.Empty(Azure.Requests); // nothing is sent upstream to begin
    }

    [Fact]
    public async Task V1_authorize_url_names_the_app_id_as_resource_and_only_login_and_none_prompts_go_through()
    {
        var url = await Browser(V1()).BeginAsync(Start(prompt: "consent"), CancellationToken.None);

        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/oauth2/authorize", url.GetLeftPart(UriPartial.Path));
        var q = Query(url);
        Assert.Equal((StubAzure.AppId, "openid"), (q["resource"], q["scope"]));
        Assert.False(q.ContainsKey("prompt"));
        Assert.False(q.ContainsKey("login_hint"));
        Assert.Equal("none", Query(await Browser(V1()).BeginAsync(Start(prompt: "none"), CancellationToken.None))["prompt"]);
    }

    [Fact]
    public void Home_realm_domains_are_the_tenant_domain_and_the_aliases_lower_case_never_a_tenant_id()
    {
        var options = With(V2(), ("domain_aliases", new JsonArray("Contoso.com", "contoso.com", "not a domain")));
        Assert.Equal([StubAzure.TenantDomain, "contoso.com"], Browser(options).HomeRealmDomains);

        var byId = With(V2(), ("tenant_domain", StubAzure.TenantId.ToString()), ("domain_aliases", new JsonArray("fabrikam.com")));
        Assert.Equal(["fabrikam.com"], Browser(byId).HomeRealmDomains);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_redeemed_code_gives_the_same_identity_as_the_password_grant(bool v1)
    {
        var options = v1 ? V1() : V2();
        var password = Assert.IsType<PasswordLoginResult.Authenticated>(
            await Create(options).LoginAsync(StubAzure.UserName, StubAzure.Password, Start().Context, CancellationToken.None)).Identity;

        var result = await Browser(options).CompleteAsync(new Dictionary<string, string> { ["code"] = Code, ["state"] = "state-1" }, Start(), CancellationToken.None);

        var browser = Assert.IsType<RedirectSignInResult.Authenticated>(result).Identity;
        Assert.Equal((password.UserId, password.ExternalKey, password.Email, password.Name), (browser.UserId, browser.ExternalKey, browser.Email, browser.Name));
        Assert.Equal($"{StubAzure.TenantId}/{StubAzure.Oid}", browser.ExternalKey);
        var redemption = Azure.TokenRequests.Last().Form;
        Assert.Equal(("authorization_code", "real-secret", Verifier), (redemption["grant_type"], redemption["client_secret"], redemption["code_verifier"]));
        Assert.Equal(v1 ? StubAzure.AppId : null, redemption.GetValueOrDefault("resource"));
    }

    [Fact]
    public async Task An_id_token_with_another_nonce_is_refused_and_the_code_never_reaches_the_detail()
    {
        TokenNonce = "nonce-of-another-sign-in";

        var result = await Browser(V2()).CompleteAsync(new Dictionary<string, string> { ["code"] = Code }, Start(), CancellationToken.None);

        var denied = Assert.IsType<RedirectSignInResult.Denied>(result);
        Assert.Equal(("access_denied", WaadRefusals.InvalidTokenDescription), (denied.Error, denied.Description));
        Assert.Contains("nonce", denied.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(Code, denied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_redemption_is_access_denied_with_the_aadsts_code_in_the_detail_only()
    {
        var result = await Browser(V2()).CompleteAsync(new Dictionary<string, string> { ["code"] = "a-code-azure-does-not-know" }, Start(), CancellationToken.None);

        var denied = Assert.IsType<RedirectSignInResult.Denied>(result);
        Assert.Equal(("access_denied", "The identity provider refused the sign-in."), (denied.Error, denied.Description));
        Assert.Contains("code redemption: http=400 aadsts=54005", denied.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("a-code-azure-does-not-know", denied.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("real-secret", denied.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("access_denied", "AADSTS53003: Access has been blocked by Conditional Access policies.", null, null, "access_denied", "Sign-in blocked by a conditional access policy.", "aadsts=53003")]
    [InlineData("access_denied", "AADSTS65004: User declined to consent to access the app.", "cancel", null, "access_denied", "The sign-in was cancelled at the identity provider.", "suberror=cancel")]
    [InlineData("interaction_required", "AADSTS50105: The signed in user is not assigned to a role.", null, null, "access_denied",
        "Your account is not permitted to use this application at the identity provider. Contact your administrator.", "aadsts=50105")]
    [InlineData("login_required", "AADSTS50058: A silent sign-in request was sent but no user is signed in.", null, "none", "login_required",
        AzureCallbackErrors.InteractionDescription, "aadsts=50058")]
    [InlineData("interaction_required", "AADSTS50076: Due to a configuration change you must use multi-factor authentication.", null, "none", "interaction_required",
        AzureCallbackErrors.InteractionDescription, "aadsts=50076")]
    [InlineData("invalid_request", "AADSTS900144: The request body must contain the following parameter: 'scope'.", null, null, "access_denied",
        WaadRefusals.MisconfiguredDescription, "aadsts=900144")]
    public async Task Azure_errors_on_the_callback_reach_the_app_in_auth0_words_with_the_aadsts_code_audited(
        string error, string description, string? subcode, string? prompt, string expectedError, string expectedDescription, string detailPart)
    {
        var callback = new Dictionary<string, string> { ["error"] = error, ["error_description"] = description + "\r\nTrace ID: 1\r\nCorrelation ID: 2", ["state"] = "state-1" };
        if (subcode is not null)
        {
            callback["error_subcode"] = subcode;
        }

        var result = await Browser(V2()).CompleteAsync(callback, Start(prompt), CancellationToken.None);

        var denied = Assert.IsType<RedirectSignInResult.Denied>(result);
        Assert.Equal((expectedError, expectedDescription), (denied.Error, denied.Description));
        Assert.StartsWith("authorize: http=302", denied.Detail, StringComparison.Ordinal);
        Assert.Contains(detailPart, denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Azure.TokenRequests); // nothing redeemed
    }

    [Fact]
    public async Task Azure_unavailable_on_the_callback_is_an_outage_not_a_refusal()
    {
        var callback = new Dictionary<string, string> { ["error"] = "temporarily_unavailable", ["error_description"] = "AADSTS90033: A transient error has occurred." };

        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Browser(V2()).CompleteAsync(callback, Start(), CancellationToken.None));
    }

    [Fact]
    public async Task Redemption_outages_count_on_the_circuit_the_password_grant_shares_and_then_fail_fast()
    {
        Azure.OnToken = _ => StubAzure.Error(503, "temporarily_unavailable", 90033);
        var browser = Browser(V2());
        var callback = new Dictionary<string, string> { ["code"] = Code };
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => browser.CompleteAsync(callback, Start(), CancellationToken.None));
        }

        var calls = Azure.Requests.Count;
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(
            () => Create(V2()).LoginAsync(StubAzure.UserName, StubAzure.Password, Start().Context, CancellationToken.None));
        Assert.Contains("circuit open", e.Detail, StringComparison.Ordinal);
        Assert.Equal(calls, Azure.Requests.Count);
    }

    [Fact]
    public async Task Options_that_no_longer_parse_send_the_browser_back_to_a_refusal_never_to_azure()
    {
        var broken = Browser(With(V2(), ("client_id", null)));

        var url = await broken.BeginAsync(Start(), CancellationToken.None);
        Assert.Equal(Callback.AbsoluteUri, url.GetLeftPart(UriPartial.Path));
        var result = await broken.CompleteAsync(Query(url), Start(), CancellationToken.None);

        var denied = Assert.IsType<RedirectSignInResult.Denied>(result);
        Assert.Equal(("access_denied", WaadRefusals.MisconfiguredDescription), (denied.Error, denied.Description));
        Assert.Contains("client_id", denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Azure.Requests);
    }

    [Fact]
    public void Federated_logout_goes_to_the_tenant_logout_of_the_connection_api_version()
    {
        var returnTo = new Uri("https://app.example/signed-out?x=1");
        var v2 = ((IFederatedLogoutConnection)Browser(V2())).LogoutUri(returnTo);
        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/oauth2/v2.0/logout", v2.GetLeftPart(UriPartial.Path));
        Assert.Equal(returnTo.AbsoluteUri, Query(v2)["post_logout_redirect_uri"]);

        var v1 = ((IFederatedLogoutConnection)Browser(V1())).LogoutUri(null);
        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/oauth2/logout", v1.AbsoluteUri);
    }
}
