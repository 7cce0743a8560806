using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests.EndToEnd;

public sealed class EmulatorLoginTests(EmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    [Theory]
    [InlineData(WaadOptionsParser.IdentityApiV2)]
    [InlineData(WaadOptionsParser.IdentityApiV1)]
    public async Task The_brief_payload_logs_adele_in_over_https(string identityApi)
    {
        var connection = Create(With(BriefPayload(), ("identity_api", identityApi)));
        var user = AssertSuccess(await Login(connection, DemoDirectory.Adele));

        Assert.Equal($"{DemoDirectory.TenantId}/{DemoDirectory.AdeleId}", user.ExternalKey);
        Assert.StartsWith("waad|", user.UserId, StringComparison.Ordinal);
        Assert.Equal(DemoDirectory.Adele, Attr(user, "upn").GetString());
        Assert.Equal(DemoDirectory.TenantId, Attr(user, "tenantid").GetString());
        Assert.Equal("Adele Vance", user.Name);
        Assert.NotNull(user.Identities[0].AccessTokenProtected);

        // The Native app is public: the "any_value" secret of docs/waad.md was refused (700025), then the login went without it.
        var signIns = Emulator.SignInLog.Entries;
        Assert.Equal([700025, 0], signIns.Select(s => s.ResultCode));
        Assert.All(signIns, s => Assert.Equal(CorrelationId, s.CorrelationId));
        Assert.Equal(identityApi == WaadOptionsParser.IdentityApiV1 ? "1.0" : "2.0", signIns[1].EndpointVersion);

        AssertSuccess(await Login(connection, DemoDirectory.Adele));
        Assert.Equal(3, Emulator.SignInLog.Entries.Count); // learned: public, one POST
        Assert.Single(Store.Users);
    }

    [Fact]
    public async Task A_wrong_password_with_the_secret_retry_costs_one_lockout_count()
    {
        Emulator.Directory.UpdateSettings(s => s with { LockoutThreshold = 2 });
        var connection = Create(BriefPayload());

        Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, DemoDirectory.LockoutUser, "wrong-password"));
        Assert.Equal([700025, 50126], Emulator.SignInLog.Entries.Select(s => s.ResultCode));

        // Had the 700025 attempt counted, this user would now be locked (threshold 2) and get 50053.
        var fresh = Create(BriefPayload(), id: "con_2", name: "second"); // a new connection: the secret retry happens again
        AssertSuccess(await Login(fresh, DemoDirectory.LockoutUser));
        Assert.Single(Emulator.SignInLog.Entries, s => s.ResultCode == 50126);
        Assert.DoesNotContain(Emulator.SignInLog.Entries, s => s.ResultCode == 50053);
    }

    [Fact]
    public async Task Ten_wrong_passwords_lock_the_account_and_the_caller_is_told_so()
    {
        var connection = Create(With(BriefPayload(), ("client_secret", null)));
        for (var i = 0; i < 10; i++)
        {
            Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, DemoDirectory.LockoutUser, "nope"));
        }

        AssertDenied(await Login(connection, DemoDirectory.LockoutUser), 401, "unauthorized");
    }

    [Fact]
    public async Task A_confidential_app_registration_works_with_its_secret()
    {
        var options = With(BriefPayload(), ("client_id", DemoDirectory.ConfidentialAppId), ("client_secret", DemoDirectory.ConfidentialSecret));
        AssertSuccess(await Login(Create(options), DemoDirectory.Adele));
        Assert.Equal([0], Emulator.SignInLog.Entries.Select(s => s.ResultCode));
    }

    public static TheoryData<string, int, string, int> Refusals => new()
    {
        { DemoDirectory.MfaUser, 403, "mfa_required", 50076 },
        { DemoDirectory.MfaRegistrationUser, 403, "mfa_required", 50079 },
        { DemoDirectory.BlockedUser, 403, "access_denied", 53003 },
        { DemoDirectory.ExpiredPasswordUser, 403, "password_change_required", 50055 },
        { DemoDirectory.DisabledUser, 401, "unauthorized", 50057 },
        { DemoDirectory.LockedUser, 401, "unauthorized", 50053 },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Policy_refusals_reach_the_caller_typed_with_the_aadsts_code_in_the_audit_detail(string upn, int status, string error, int code)
    {
        var denied = AssertDenied(await Login(Create(With(BriefPayload(), ("client_secret", null))), upn), status, error);
        Assert.Contains($"aadsts={code}", denied.Detail, StringComparison.Ordinal);
        Assert.Contains("trace_id=", denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Store.Users);
    }

    [Fact]
    public async Task Missing_consent_is_the_administrators_problem()
    {
        var options = With(BriefPayload(), ("client_id", DemoDirectory.UnconsentedAppId), ("client_secret", null));
        var denied = AssertDenied(await Login(Create(options), DemoDirectory.Adele), 403, "access_denied");
        Assert.Contains("administrator must grant consent", denied.Description, StringComparison.Ordinal);
        Assert.Contains("aadsts=65001", denied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task User_not_assigned_to_the_app_is_refused()
    {
        var options = With(BriefPayload(), ("client_id", DemoDirectory.AssignmentRequiredAppId), ("client_secret", null),
            ("app_id", "https://graph.microsoft.com")); // the HR Portal is consented for Microsoft Graph only
        AssertSuccess(await Login(Create(options), DemoDirectory.Adele));
        var denied = AssertDenied(await Login(Create(options, "con_2", "hr"), DemoDirectory.UnassignedUser), 403, "access_denied");
        Assert.Contains("aadsts=50105", denied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_expired_app_secret_is_misconfiguration()
    {
        var options = With(BriefPayload(), ("client_id", DemoDirectory.ExpiredSecretAppId), ("client_secret", DemoDirectory.ExpiredSecret));
        var denied = AssertDenied(await Login(Create(options), DemoDirectory.Adele), 403, "access_denied");
        Assert.Equal(WaadRefusals.MisconfiguredDescription, denied.Description);
        Assert.Contains("aadsts=7000222", denied.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Federated_users_need_cloud_password_validation_and_msa_guests_are_unknown()
    {
        var connection = Create(With(BriefPayload(), ("client_secret", null)));
        var federated = Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, DemoDirectory.FederatedUser, "anything"));
        Assert.False(federated.UnknownUser);
        Assert.Contains("aadsts=50126", federated.Detail, StringComparison.Ordinal);

        AssertSuccess(await Login(connection, DemoDirectory.FederatedSyncedUser));

        var guest = Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, DemoDirectory.MsaGuest, "anything"));
        Assert.True(guest.UnknownUser);
    }

    [Fact]
    public async Task Unknown_user_and_wrong_password_look_alike()
    {
        var connection = Create(With(BriefPayload(), ("client_secret", null)));
        var unknown = Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, "nobody@contoso.com", "x"));
        var wrong = Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, DemoDirectory.Adele, "x"));
        Assert.Equal((true, false), (unknown.UnknownUser, wrong.UnknownUser));
    }

    [Fact]
    public async Task An_unknown_tenant_is_refused_before_a_password_is_sent()
    {
        var denied = AssertDenied(await Login(Create(With(BriefPayload(), ("tenant_domain", "fabrikam.onmicrosoft.com"))), DemoDirectory.Adele), 403, "access_denied");
        Assert.Contains("aadsts=90002", denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Emulator.SignInLog.Entries);
    }

    [Fact]
    public async Task The_tenant_can_be_given_by_its_id_or_verified_domain()
    {
        AssertSuccess(await Login(Create(With(BriefPayload(), ("tenant_domain", null), ("tenantId", DemoDirectory.TenantId))), DemoDirectory.Adele));
        AssertSuccess(await Login(Create(With(BriefPayload(), ("tenant_domain", DemoDirectory.VerifiedDomain)), "con_2", "c2"), DemoDirectory.Adele));
    }
}
