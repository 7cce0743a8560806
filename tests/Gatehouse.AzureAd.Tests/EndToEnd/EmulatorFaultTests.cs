using Gatehouse.AzureAd.Emulator;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests.EndToEnd;

public sealed class EmulatorFaultTests(EmulatorFixture fixture) : EmulatorTestBase(fixture)
{
    private IPasswordConnection Connection(string api = WaadOptionsParser.IdentityApiV2) =>
        Create(With(BriefPayload(), ("client_secret", null), ("identity_api", api), ("gatehouse_timeout_ms", 1500)));

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Throttling_is_503_with_the_upstreams_retry_after(bool asDate)
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = FaultKind.Throttle, RetryAfterSeconds = 42, RetryAfterAsDate = asDate, Count = 1 });
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Connection(), DemoDirectory.Adele));
        Assert.InRange(e.RetryAfter!.Value.TotalSeconds, 35, 42);
        Assert.Contains("http=429", e.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Loop_detection_is_throttling()
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = FaultKind.LoopDetected, Count = 1 });
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Connection(), DemoDirectory.Adele));
        Assert.Contains("aadsts=50196", e.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FaultKind.ServerError, 500)]
    [InlineData(FaultKind.ServerError, 503)]
    [InlineData(FaultKind.HtmlError, 502)]
    [InlineData(FaultKind.Reset, null)]
    [InlineData(FaultKind.MalformedJson, null)]
    [InlineData(FaultKind.Timeout, null)]
    public async Task Infrastructure_faults_are_outages_and_the_password_is_not_resent(string kind, int? status)
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = kind, Status = status, Count = 1 });
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Connection(), DemoDirectory.Adele));
        AssertSuccess(await Login(Connection(), DemoDirectory.Adele)); // the fault is gone: the next login works
    }

    [Fact]
    public async Task Discovery_and_key_faults_are_outages()
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Discovery, Kind = FaultKind.ServerError, Count = 1 });
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Connection(), DemoDirectory.Adele));
        Assert.Empty(Emulator.SignInLog.Entries); // no password was sent

        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Keys, Kind = FaultKind.MalformedJson, Count = 1 });
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(Connection(), DemoDirectory.Adele));
    }

    [Theory]
    [InlineData(FaultKind.UnsignedIdToken, "alg none")]
    [InlineData(FaultKind.WrongIssuer, "issuer")]
    [InlineData(FaultKind.WrongAudience, "audience")]
    [InlineData(FaultKind.WrongTenant, "tenant")]
    [InlineData(FaultKind.ExpiredToken, "expired")]
    public async Task Bad_v2_tokens_are_refused_and_nobody_is_provisioned(string kind, string detail)
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = kind });
        var denied = AssertDenied(await Login(Connection(), DemoDirectory.Adele), 403, "access_denied");
        Assert.Equal(WaadRefusals.InvalidTokenDescription, denied.Description);
        Assert.Contains(detail, denied.Detail, StringComparison.Ordinal);
        Assert.Empty(Store.Users);
    }

    [Theory]
    [InlineData(FaultKind.WrongIssuer)]
    [InlineData(FaultKind.WrongAudience)]
    [InlineData(FaultKind.WrongTenant)]
    [InlineData(FaultKind.ExpiredToken)]
    public async Task Bad_v1_tokens_are_refused_too(string kind)
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = kind });
        var denied = AssertDenied(await Login(Connection(WaadOptionsParser.IdentityApiV1), DemoDirectory.Adele), 403, "access_denied");
        Assert.Equal(WaadRefusals.InvalidTokenDescription, denied.Description);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Key_rotation_is_followed(bool keepOldKey)
    {
        var connection = Connection();
        AssertSuccess(await Login(connection, DemoDirectory.Adele));
        Emulator.Faults.RotateSigningKey(keepOldKey);
        AssertSuccess(await Login(connection, DemoDirectory.Megan));
    }

    [Fact]
    public async Task Repeated_outages_open_the_circuit_and_then_no_request_reaches_azure()
    {
        Emulator.Faults.Add(new FaultRule { Route = FaultRoute.Token, Kind = FaultKind.ServerError });
        var connection = Connection();
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection, DemoDirectory.Adele));
        }

        Emulator.Faults.Clear();
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection, DemoDirectory.Adele));
        Assert.Contains("circuit open", e.Detail, StringComparison.Ordinal);
        Assert.Empty(Emulator.SignInLog.Entries); // faults are not logged; the fast failure sent nothing
    }

    [Fact]
    public async Task A_certificate_the_server_does_not_trust_is_an_outage_not_a_bypass()
    {
        using var untrusting = new WaadConnectionStrategy(Protector, TimeProvider.System, new WaadServerDefaults
        {
            AuthorityUrl = new Uri(Emulator.BaseUrl),
        });
        var options = Fakes.FakeProtectorExtensions.Stored(With(BriefPayload(), ("client_secret", null)));
        var connection = (IPasswordConnection)untrusting.Create(options);
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection, DemoDirectory.Adele));
        Assert.Contains("SecureConnectionError", e.Detail, StringComparison.Ordinal);
        Assert.Empty(Emulator.SignInLog.Entries);
    }
}
