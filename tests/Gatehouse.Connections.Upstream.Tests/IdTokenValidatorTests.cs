using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.Connections.Upstream.Tests;

public sealed class IdTokenValidatorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Start);
    private readonly FakeIssuer _issuer = new(Start);
    private readonly HttpClient _http;
    private readonly OidcMetadataCache _metadata;
    private readonly IdTokenValidator _validator;

    public IdTokenValidatorTests()
    {
        _http = new HttpClient(_issuer);
        _metadata = new OidcMetadataCache(new UpstreamHttpClient(_http, _time), TimeSpan.FromHours(24));
        _validator = new IdTokenValidator(_metadata, _time);
    }

    public void Dispose() => _http.Dispose();

    private static IdTokenRules Rules(IssuerRule? issuer = null, string? nonce = null) => new()
    {
        Issuer = issuer ?? IssuerRule.Exact(FakeIssuer.Issuer),
        Audience = FakeIssuer.ClientId,
        KeysUrl = FakeIssuer.KeysUrl,
        Nonce = nonce,
    };

    private static UpstreamCall Call => new(TimeSpan.FromSeconds(10));

    private async Task Refused(string token, IdTokenRules rules, string detail)
    {
        var e = await Assert.ThrowsAsync<IdTokenRejectedException>(() => _validator.ValidateAsync(token, rules, Call, default));
        Assert.Contains(detail, e.Detail, StringComparison.Ordinal);
    }

    /// <summary>Azure AD's common-endpoint issuer: the token's own tid fills it; the tenant must be a GUID the rule allows.</summary>
    private static IssuerRule TenantTemplate(Guid? onlyTenant) =>
        IssuerRule.Template("https://issuer.test/{tid}/v2.0", "{tid}", "tid", tid =>
            tid is null || !Guid.TryParse(tid, out var id) ? "no tenant"
            : onlyTenant is { } only && only != id ? $"id_token is for tenant {id}" : null);

    [Fact]
    public async Task A_token_signed_by_the_issuers_key_with_the_right_claims_is_accepted()
    {
        var token = await _validator.ValidateAsync(_issuer.Token(), Rules(), Call, default);
        Assert.Equal("user-1", token.Subject);
        Assert.Equal(1, _issuer.KeyFetches);
    }

    [Fact]
    public async Task A_wrong_issuer_is_refused() =>
        await Refused(_issuer.Token(c => c["iss"] = "https://other.test/"), Rules(), "issuer 'https://other.test/' is not 'https://issuer.test/'");

    [Fact]
    public async Task A_template_issuer_is_filled_from_the_tokens_own_claim()
    {
        var tenant = Guid.NewGuid();
        var rules = Rules(TenantTemplate(null));
        await _validator.ValidateAsync(_issuer.Token(c => { c["tid"] = tenant.ToString(); c["iss"] = $"https://issuer.test/{tenant}/v2.0"; }), rules, Call, default);

        // The issuer names another tenant than the token's tid.
        await Refused(_issuer.Token(c => { c["tid"] = tenant.ToString(); c["iss"] = $"https://issuer.test/{Guid.NewGuid()}/v2.0"; }), rules, "issuer");
        await Refused(_issuer.Token(c => c["iss"] = $"https://issuer.test/{tenant}/v2.0"), rules, "no tenant");
    }

    [Fact]
    public async Task A_template_issuer_refuses_a_tenant_its_rule_does_not_allow()
    {
        var other = Guid.NewGuid();
        var token = _issuer.Token(c => { c["tid"] = other.ToString(); c["iss"] = $"https://issuer.test/{other}/v2.0"; });
        await Refused(token, Rules(TenantTemplate(Guid.NewGuid())), $"id_token is for tenant {other}");
    }

    [Fact]
    public async Task A_wrong_or_second_audience_is_refused()
    {
        await Refused(_issuer.Token(c => c["aud"] = "client-2"), Rules(), "audience 'client-2'");
        await Refused(_issuer.Token(c => c["aud"] = new[] { FakeIssuer.ClientId, "client-2" }), Rules(), "audience");
    }

    [Fact]
    public async Task Expiry_allows_the_skew_and_no_more()
    {
        await _validator.ValidateAsync(_issuer.Token(c => c["exp"] = Start.AddMinutes(-4).ToUnixTimeSeconds()), Rules(), Call, default);
        await Refused(_issuer.Token(c => c["exp"] = Start.AddMinutes(-6).ToUnixTimeSeconds()), Rules(), "expired");
        await Refused(_issuer.Token(c => c["nbf"] = Start.AddMinutes(6).ToUnixTimeSeconds()), Rules(), "not valid yet");
        await Refused(_issuer.Token(c => c.Remove("exp")), Rules(), "no expiry");
    }

    [Fact]
    public async Task A_signature_by_another_key_with_the_same_kid_is_refused() =>
        await Refused(_issuer.Token(key: FakeIssuer.NewKey("key-1")), Rules(), "signature is invalid");

    [Fact]
    public async Task Hmac_and_unsigned_tokens_are_refused_unless_the_rules_accept_unsigned()
    {
        var hmac = _issuer.Token(key: new SymmetricSecurityKey(new byte[32]) { KeyId = "key-1" }, algorithm: SecurityAlgorithms.HmacSha256);
        await Refused(hmac, Rules(), "algorithm 'HS256' refused");

        var parts = _issuer.Token().Split('.');
        var unsigned = $"{Base64UrlEncoder.Encode("{\"alg\":\"none\"}")}.{parts[1]}.";
        await Refused(unsigned, Rules(), "unsigned (alg none) id_token refused");
        await _validator.ValidateAsync(unsigned, Rules() with { UnsignedRefusal = null }, Call, default);
        Assert.Equal(0, _issuer.KeyFetches); // an unsigned token needs no keys
    }

    [Fact]
    public async Task The_nonce_must_be_the_one_sent_when_one_was_sent()
    {
        await _validator.ValidateAsync(_issuer.Token(c => c["nonce"] = "n-1"), Rules(nonce: "n-1"), Call, default);
        await Refused(_issuer.Token(c => c["nonce"] = "n-2"), Rules(nonce: "n-1"), "nonce");
        await Refused(_issuer.Token(), Rules(nonce: "n-1"), "nonce");
        await _validator.ValidateAsync(_issuer.Token(c => c["nonce"] = "n-2"), Rules(), Call, default); // no nonce sent: none checked
    }

    [Fact]
    public async Task An_unknown_kid_refreshes_the_keys_so_a_rotation_is_picked_up_at_once()
    {
        await _validator.ValidateAsync(_issuer.Token(), Rules(), Call, default);
        var rotated = FakeIssuer.NewKey("key-2");
        _issuer.SigningKey = rotated;
        _issuer.PublishedKeys = [rotated];
        await _validator.ValidateAsync(_issuer.Token(), Rules(), Call, default);
        Assert.Equal(2, _issuer.KeyFetches);
    }

    [Fact]
    public async Task A_flood_of_unknown_kids_refreshes_the_keys_at_most_once_per_floor()
    {
        for (var i = 0; i < 20; i++)
            await Refused(_issuer.Token(key: FakeIssuer.StrangerKey($"made-up-{i}")), Rules(), $"unknown key kid=made-up-{i}");
        Assert.Equal(2, _issuer.KeyFetches); // the set, then one refresh for all twenty kids

        _time.Advance(OidcMetadataCache.UnknownKidRefreshFloor + TimeSpan.FromSeconds(1));
        await Refused(_issuer.Token(key: FakeIssuer.StrangerKey("made-up-late")), Rules(), "unknown key");
        Assert.Equal(3, _issuer.KeyFetches);
    }

    [Theory]
    [InlineData("not a jwt")]
    [InlineData("a.b.c")]
    [InlineData("")]
    public async Task What_is_not_a_signed_jwt_is_refused_not_thrown(string text) =>
        await Assert.ThrowsAsync<IdTokenRejectedException>(() => _validator.ValidateAsync(text, Rules(), Call, default));
}
