using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests;

public sealed class ClassificationTests : WaadTestBase
{
    public static TheoryData<int, AadstsClass> Table => new()
    {
        { 50126, AadstsClass.WrongPassword }, { 50056, AadstsClass.WrongPassword },
        { 50034, AadstsClass.UnknownUser }, { 50020, AadstsClass.UnknownUser }, { 50059, AadstsClass.UnknownUser },
        { 50128, AadstsClass.UnknownUser }, { 90019, AadstsClass.UnknownUser },
        { 50076, AadstsClass.MfaRequired }, { 50079, AadstsClass.MfaRequired }, { 50074, AadstsClass.MfaRequired },
        { 50072, AadstsClass.MfaRequired }, { 50158, AadstsClass.MfaRequired },
        { 53003, AadstsClass.ConditionalAccess }, { 530035, AadstsClass.ConditionalAccess }, { 53000, AadstsClass.ConditionalAccess },
        { 53001, AadstsClass.ConditionalAccess }, { 50097, AadstsClass.ConditionalAccess },
        { 50055, AadstsClass.PasswordExpired }, { 50144, AadstsClass.PasswordExpired },
        { 50053, AadstsClass.Locked }, { 50057, AadstsClass.Disabled }, { 50105, AadstsClass.NotAssigned },
        { 65001, AadstsClass.ConsentRequired },
        { 700025, AadstsClass.PublicClientSentSecret }, { 7000218, AadstsClass.ConfidentialWithoutSecret },
        { 7000215, AadstsClass.Misconfigured }, { 7000222, AadstsClass.Misconfigured }, { 700016, AadstsClass.Misconfigured },
        { 90002, AadstsClass.Misconfigured }, { 500011, AadstsClass.Misconfigured }, { 50001, AadstsClass.Misconfigured },
        { 700022, AadstsClass.Misconfigured }, { 9001023, AadstsClass.Misconfigured }, { 90008, AadstsClass.Misconfigured },
        { 90009, AadstsClass.Misconfigured }, { 65005, AadstsClass.Misconfigured }, { 650056, AadstsClass.Misconfigured },
        { 650057, AadstsClass.Misconfigured }, { 900144, AadstsClass.Misconfigured }, { 700011, AadstsClass.Misconfigured },
        { 70001, AadstsClass.Misconfigured }, { 7000112, AadstsClass.Misconfigured }, { 90124, AadstsClass.Misconfigured },
        { 90130, AadstsClass.Misconfigured }, { 70011, AadstsClass.Misconfigured },
        { 50196, AadstsClass.Throttled }, { 90055, AadstsClass.Throttled },
        { 50033, AadstsClass.Unavailable }, { 90033, AadstsClass.Unavailable }, { 90024, AadstsClass.Unavailable },
        { 90006, AadstsClass.Unavailable }, { 50087, AadstsClass.Unavailable }, { 80001, AadstsClass.Unavailable },
        { 80014, AadstsClass.Unavailable },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_code_has_its_class_whatever_the_error_string(int code, AadstsClass expected)
    {
        foreach (var error in new[] { "invalid_grant", "interaction_required", "unauthorized_client", null })
        {
            Assert.Equal(expected, AadstsClassifier.Classify(new AadError(400, error, [code], null, null, null, null, null)));
        }
    }

    [Fact]
    public void The_table_holds_exactly_the_documented_codes()
    {
        var documented = Table.Select(row => (int)row[0]).Where(c => c is < 80001 or > 80014).ToHashSet();
        Assert.Equal(documented.OrderBy(c => c), AadstsClassifier.Codes.Keys.OrderBy(c => c));
    }

    [Theory]
    [InlineData(429, null, AadstsClass.Throttled)]
    [InlineData(500, 50126, AadstsClass.Unavailable)]
    [InlineData(503, null, AadstsClass.Unavailable)]
    public void Status_429_and_5xx_decide_before_the_code(int status, int? code, AadstsClass expected) =>
        Assert.Equal(expected, AadstsClassifier.Classify(new AadError(status, null, code is { } c ? [c] : [], null, null, null, null, null)));

    [Theory]
    [InlineData("invalid_client", AadstsClass.Misconfigured)]
    [InlineData("unauthorized_client", AadstsClass.Misconfigured)]
    [InlineData("invalid_resource", AadstsClass.Misconfigured)]
    [InlineData("temporarily_unavailable", AadstsClass.Unavailable)]
    [InlineData("consent_required", AadstsClass.ConsentRequired)]
    [InlineData("user_password_expired", AadstsClass.PasswordExpired)]
    [InlineData("interaction_required", AadstsClass.InteractionRequired)]
    [InlineData("invalid_grant", AadstsClass.Refused)]
    [InlineData(null, AadstsClass.Refused)]
    public void Without_a_known_code_the_error_string_decides(string? error, AadstsClass expected) =>
        Assert.Equal(expected, AadstsClassifier.Classify(new AadError(400, error, [99999], null, null, null, null, null)));

    [Fact]
    public void A_leading_70002_defers_to_the_code_after_it()
    {
        Assert.Equal(AadstsClass.WrongPassword, AadstsClassifier.Classify(new AadError(400, "invalid_grant", [70002, 50126], null, null, null, null, null)));
        Assert.Equal(AadstsClass.Refused, AadstsClassifier.Classify(new AadError(400, "invalid_grant", [70002], null, null, null, null, null)));
    }

    [Fact]
    public void Description_text_is_never_read()
    {
        var error = AadError.Parse(400, """{"error":"invalid_grant","error_description":"AADSTS50126: wrong password","error_codes":[50076]}""", null);
        Assert.Equal(AadstsClass.MfaRequired, AadstsClassifier.Classify(error));
        Assert.DoesNotContain("wrong password", error.ToDetail(), StringComparison.Ordinal);
    }

    public static TheoryData<int, string?, int, string> Outcomes => new()
    {
        { 50076, "basic_action", 403, "mfa_required" },
        { 53003, "message_only", 403, "access_denied" },
        { 50055, "user_password_expired", 403, "password_change_required" },
        { 50053, null, 401, "unauthorized" },
        { 50057, null, 401, "unauthorized" },
        { 50105, null, 403, "access_denied" },
        { 65001, "consent_required", 403, "access_denied" },
        { 7000215, null, 403, "access_denied" },
        { 90009, null, 403, "access_denied" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public async Task Refusals_reach_the_caller_as_auth0_shaped_errors_with_the_upstream_detail_for_the_audit_log(
        int code, string? suberror, int status, string wireError)
    {
        Azure.OnToken = _ => StubAzure.Error(400, "invalid_grant", code, suberror);
        var denied = AssertDenied(await Login(Create(With(BriefPayload(), ("client_secret", null)))), status, wireError);
        Assert.DoesNotContain("AADSTS", denied.Description, StringComparison.Ordinal);
        Assert.Contains($"aadsts={code}", denied.Detail, StringComparison.Ordinal);
        Assert.Contains("trace_id=533bf45e-1c05-4e8a-bb1b-313991a73a00", denied.Detail, StringComparison.Ordinal);
        Assert.Contains("correlation_id=7c77db90-c37c-465a-9e7a-553fe968c700", denied.Detail, StringComparison.Ordinal);
        Assert.Contains($"client_request_id={CorrelationId}", denied.Detail, StringComparison.Ordinal);
        if (suberror is not null)
        {
            Assert.Contains($"suberror={suberror}", denied.Detail, StringComparison.Ordinal);
        }

        Assert.Single(Azure.TokenRequests); // a refusal is never retried
        Assert.Empty(Store.Users);
    }

    [Fact]
    public async Task Consent_description_does_not_blame_the_user()
    {
        Azure.OnToken = _ => StubAzure.Error(400, "invalid_grant", 65001, "consent_required");
        var denied = AssertDenied(await Login(Create(With(BriefPayload(), ("client_secret", null)))), 403, "access_denied");
        Assert.Contains("administrator must grant consent", denied.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50126, false)]
    [InlineData(50034, true)]
    [InlineData(50020, true)]
    public async Task Unknown_user_and_wrong_password_look_the_same_to_the_caller(int code, bool unknownUser)
    {
        Azure.OnToken = _ => StubAzure.Error(400, "invalid_grant", code);
        var result = Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(Create(With(BriefPayload(), ("client_secret", null)))));
        Assert.Equal(unknownUser, result.UnknownUser); // audit only: fu vs fp
        Assert.Contains($"aadsts={code}", result.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(50196, 400)]
    [InlineData(90055, 400)]
    [InlineData(0, 429)]
    public async Task Throttling_is_an_outage_with_retry_after(int code, int status)
    {
        Azure.OnToken = _ => code == 0
            ? StubAzure.Text(status, "Too Many Requests", TimeSpan.FromSeconds(7))
            : StubAzure.Error(status, "invalid_grant", code);
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Create(With(BriefPayload(), ("client_secret", null)))));
        Assert.Equal(code == 0 ? TimeSpan.FromSeconds(7) : WaadConnection.DefaultThrottleWait, e.RetryAfter);
        Assert.Equal("azure-native", e.ConnectionName);
        Assert.Contains("throttled", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("500json")]
    [InlineData("503html")]
    [InlineData("50033")]
    [InlineData("reset")]
    [InlineData("malformed200")]
    [InlineData("emptyobject200")]
    public async Task Server_and_network_failures_are_outages(string mode)
    {
        Azure.OnToken = _ => mode switch
        {
            "500json" => StubAzure.Error(500, "server_error", 90033),
            "503html" => StubAzure.Text(503, "<html>busy</html>"),
            "50033" => StubAzure.Error(400, "temporarily_unavailable", 50033),
            "reset" => throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer"),
            "malformed200" => StubAzure.Text(200, "{not json"),
            _ => StubAzure.Text(200, "{}"),
        };
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Create(With(BriefPayload(), ("client_secret", null)))));
        Assert.Contains($"client_request_id={CorrelationId}", e.Detail, StringComparison.Ordinal);
        Assert.Single(Azure.TokenRequests); // a credential POST is never repeated
    }

    [Fact]
    public async Task An_unknown_tenant_is_misconfiguration_found_before_the_password_is_sent()
    {
        var denied = AssertDenied(await Login(Create(With(BriefPayload(), ("tenant_domain", "nobody.onmicrosoft.com")))), 403, "access_denied");
        Assert.Equal(WaadRefusals.MisconfiguredDescription, denied.Description);
        Assert.Contains("aadsts=90002", denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Azure.TokenRequests);
    }
}
