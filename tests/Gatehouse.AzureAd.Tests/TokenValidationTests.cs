using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AzureAd.Tests;

public sealed class TokenValidationTests : WaadTestBase
{
    private static JsonObject V2() => With(BriefPayload(), ("client_secret", null));

    private static JsonObject V1() => With(V2(), ("identity_api", WaadOptionsParser.IdentityApiV1));

    private async Task<PasswordLoginResult.Denied> AssertRefused(JsonObject options, string detailPart)
    {
        var updatesBefore = Store.Updates + Store.Creates;
        var denied = AssertDenied(await Login(Create(options)), 403, "access_denied");
        Assert.Equal(WaadRefusals.InvalidTokenDescription, denied.Description);
        Assert.Contains(detailPart, denied.Detail, StringComparison.Ordinal);
        Assert.Equal(updatesBefore, Store.Updates + Store.Creates); // nobody provisioned or updated from a bad token
        return denied;
    }

    [Fact]
    public async Task A_valid_v2_token_signed_by_the_tenant_key_is_accepted()
    {
        AssertSuccess(await Login(Create(V2())));
        Assert.Equal(1, Azure.KeyFetches);
        Assert.Contains(Azure.Requests, r => r.Url.AbsoluteUri == $"{StubAzure.Authority}{StubAzure.TenantDomain}/discovery/v2.0/keys");
    }

    [Fact]
    public async Task A_forged_signature_is_refused()
    {
        var forger = StubAzure.NewKey("key-1"); // same kid, different key
        Azure.IdTokenFactory = (claims, _) => StubAzure.Signed(claims, forger);
        await AssertRefused(V2(), "signature is invalid");
    }

    [Fact]
    public async Task Alg_none_is_refused_on_v2()
    {
        Azure.IdTokenFactory = (claims, _) => StubAzure.Unsigned(claims);
        await AssertRefused(V2(), "alg none");
    }

    [Fact]
    public async Task Hmac_is_refused_on_v2_even_with_a_valid_mac()
    {
        var shared = new SymmetricSecurityKey(new byte[32]) { KeyId = "key-1" };
        Azure.IdTokenFactory = (claims, _) => StubAzure.Signed(claims, shared, SecurityAlgorithms.HmacSha256);
        await AssertRefused(V2(), "algorithm 'HS256' refused");
    }

    [Theory]
    [InlineData("iss", "https://login.test/00000000-0000-0000-0000-000000000001/v2.0", "issuer")]
    [InlineData("tid", "00000000-0000-0000-0000-000000000001", "is for tenant")]
    [InlineData("aud", "another-client", "audience")]
    [InlineData("tid", "not-a-guid", "no tenant id")]
    public async Task Wrong_issuer_tenant_or_audience_is_refused(string claim, string value, string detail)
    {
        Azure.TweakClaims = c => c[claim] = value;
        await AssertRefused(V2(), detail);
    }

    [Fact]
    public async Task A_token_for_another_tenant_with_a_matching_issuer_is_still_refused()
    {
        var other = "00000000-0000-0000-0000-000000000001";
        Azure.TweakClaims = c =>
        {
            c["tid"] = other;
            c["iss"] = $"https://login.test/{other}/v2.0";
        };
        await AssertRefused(V2(), "is for tenant");
    }

    [Fact]
    public async Task Expiry_and_not_before_allow_five_minutes_of_skew_and_no_more()
    {
        var now = Time.GetUtcNow().ToUnixTimeSeconds();
        Azure.TweakClaims = c => c["exp"] = now - 240;
        AssertSuccess(await Login(Create(V2())));

        Azure.TweakClaims = c => c["exp"] = now - 360;
        await AssertRefused(V2(), "expired");

        Azure.TweakClaims = c => c["nbf"] = now + 360;
        await AssertRefused(V2(), "not valid yet");

        Azure.TweakClaims = c => c.Remove("exp");
        await AssertRefused(V2(), "no expiry");
    }

    [Fact]
    public async Task Missing_oid_is_refused()
    {
        Azure.TweakClaims = c => c.Remove("oid");
        await AssertRefused(V2(), "no object id");
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_keys_once_so_key_rotation_works()
    {
        var connection = Create(V2());
        AssertSuccess(await Login(connection));
        Assert.Equal(1, Azure.KeyFetches);

        var rotated = StubAzure.NewKey("key-2");
        Azure.SigningKey = rotated;
        Azure.PublishedKeys = [rotated];
        AssertSuccess(await Login(connection)); // moments after the last fetch: a new kid is still looked up
        Assert.Equal(2, Azure.KeyFetches);
        AssertSuccess(await Login(connection));
        Assert.Equal(2, Azure.KeyFetches);
    }

    [Fact]
    public async Task A_kid_that_is_still_unknown_after_the_refresh_is_refused_and_refreshes_are_rate_limited()
    {
        var stranger = StubAzure.NewKey("key-x");
        Azure.IdTokenFactory = (claims, _) => StubAzure.Signed(claims, stranger);
        await AssertRefused(V2(), "unknown key kid=key-x");
        Assert.Equal(2, Azure.KeyFetches); // the set, then one refetch for the unknown kid
        await AssertRefused(V2(), "unknown key kid=key-x");
        Assert.Equal(2, Azure.KeyFetches); // the same unknown kid again within 30 s: no refetch
        Time.Advance(TimeSpan.FromSeconds(31));
        await AssertRefused(V2(), "unknown key kid=key-x");
        Assert.Equal(3, Azure.KeyFetches);
    }

    [Fact]
    public async Task V1_unsigned_token_is_accepted_from_an_https_authority()
    {
        var user = AssertSuccess(await Login(Create(V1())));
        Assert.Equal("Adele", user.GivenName);
        Assert.Equal(0, Azure.KeyFetches);
    }

    [Fact]
    public async Task V1_unsigned_token_is_refused_from_a_plain_http_authority()
    {
        using var strategy = HttpLoopbackStrategy();
        var connection = (IPasswordConnection)strategy.Create(StoredConnection(With(V1(), ("gatehouse_authority_url", "http://127.0.0.1/"))));
        var denied = AssertDenied(await Login(connection), 403, "access_denied");
        Assert.Contains("authority is not HTTPS", denied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task V2_signed_token_is_still_verified_from_a_plain_http_authority()
    {
        using var strategy = HttpLoopbackStrategy();
        AssertSuccess(await Login((IPasswordConnection)strategy.Create(StoredConnection(With(V2(), ("gatehouse_authority_url", "http://127.0.0.1/"))))));
        Assert.Equal(1, Azure.KeyFetches);
    }

    /// <summary>Plain http is allowed only to loopback with the development setting (the stub answers any host).</summary>
    private WaadConnectionStrategy HttpLoopbackStrategy() =>
        new(Protector, Time, Defaults with { AllowHttpLoopback = true, AllowedHosts = ["127.0.0.1"] }, Azure);

    [Fact]
    public async Task V1_signed_token_is_verified_against_the_v1_keys()
    {
        Azure.IdTokenFactory = (claims, _) => StubAzure.Signed(claims, Azure.SigningKey);
        AssertSuccess(await Login(Create(V1())));
        Assert.Contains(Azure.Requests, r => r.Url.AbsoluteUri == $"{StubAzure.Authority}{StubAzure.TenantDomain}/discovery/keys");

        Azure.IdTokenFactory = (claims, _) => StubAzure.Signed(claims, StubAzure.NewKey("key-1"));
        await AssertRefused(V1(), "signature is invalid");
    }

    [Fact]
    public async Task Common_endpoint_accepts_any_tenant_whose_issuer_matches_its_own_tid()
    {
        var other = "00000000-0000-0000-0000-00000000000a";
        Azure.TweakClaims = c =>
        {
            c["tid"] = other;
            c["iss"] = $"https://login.test/{other}/v2.0";
        };
        var options = With(V2(), ("tenant_domain", null), ("useCommonEndpoint", true));
        var user = AssertSuccess(await Login(Create(options)));
        Assert.Equal($"{other}/{StubAzure.Oid}", user.ExternalKey);
        Assert.EndsWith("/organizations/oauth2/v2.0/token", Azure.TokenRequests.Single().Url.AbsolutePath, StringComparison.Ordinal);

        Azure.TweakClaims = c => c["tid"] = other; // issuer still names the stub tenant
        await AssertRefused(options, "issuer");
    }

    [Fact]
    public async Task A_pinned_tenant_id_that_discovery_contradicts_is_misconfiguration()
    {
        Azure.OnDiscovery = _ => StubAzure.Json(200, new JsonObject { ["issuer"] = "https://login.test/00000000-0000-0000-0000-000000000009/v2.0" });
        var denied = AssertDenied(await Login(Create(With(V2(), ("tenantId", StubAzure.TenantId.ToString())))), 403, "access_denied");
        Assert.Equal(WaadRefusals.MisconfiguredDescription, denied.Description);
        Assert.Empty(Azure.TokenRequests); // found before any password was sent
    }
}
