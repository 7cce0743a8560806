using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests;

public sealed class CircuitBreakerTests : WaadTestBase
{
    private IPasswordConnection Connection() => Create(With(BriefPayload(), ("client_secret", null)));

    [Fact]
    public async Task Five_consecutive_failures_open_the_circuit_and_it_fails_fast_without_calling_azure()
    {
        var connection = Connection();
        Azure.OnToken = _ => StubAzure.Error(503, "temporarily_unavailable", 90033);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        }

        var calls = Azure.Requests.Count;
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        Assert.Equal(calls, Azure.Requests.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), e.RetryAfter);
        Assert.Contains("circuit open", e.Detail, StringComparison.Ordinal);

        Time.Advance(TimeSpan.FromSeconds(10));
        e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        Assert.Equal(TimeSpan.FromSeconds(20), e.RetryAfter);
    }

    [Fact]
    public async Task After_the_open_period_one_trial_goes_through_and_success_closes_the_circuit()
    {
        var connection = Connection();
        Azure.OnToken = _ => StubAzure.Error(500, "server_error", 50033);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        }

        Time.Advance(TimeSpan.FromSeconds(31));
        Azure.OnToken = null;
        AssertSuccess(await Login(connection));
        AssertSuccess(await Login(connection));
    }

    [Fact]
    public async Task A_failed_trial_reopens_at_once()
    {
        var connection = Connection();
        Azure.OnToken = _ => StubAzure.Error(500, "server_error", 50033);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        }

        Time.Advance(TimeSpan.FromSeconds(31));
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection)); // the trial
        var calls = Azure.Requests.Count;
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        Assert.Equal(calls, Azure.Requests.Count);
    }

    [Fact]
    public async Task Any_answer_from_azure_resets_the_count()
    {
        var connection = Connection();
        for (var round = 0; round < 3; round++)
        {
            Azure.OnToken = _ => StubAzure.Error(500, "server_error", 50033);
            for (var i = 0; i < 4; i++)
            {
                await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
            }

            Azure.OnToken = _ => StubAzure.Error(400, "invalid_grant", 50126);
            Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection));
        }
    }

    [Fact]
    public async Task A_429_retry_after_opens_the_circuit_for_that_long()
    {
        var connection = Connection();
        Azure.OnToken = _ => StubAzure.Text(429, "Too Many Requests", TimeSpan.FromSeconds(60));
        await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        Azure.OnToken = null;

        var calls = Azure.Requests.Count;
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(connection));
        Assert.Equal(TimeSpan.FromSeconds(60), e.RetryAfter);
        Assert.Equal(calls, Azure.Requests.Count);

        Time.Advance(TimeSpan.FromSeconds(61));
        AssertSuccess(await Login(connection));
    }

    [Fact]
    public async Task Connections_to_the_same_tenant_share_its_circuit()
    {
        var first = Create(With(BriefPayload(), ("client_secret", null)), id: "con_a", name: "a");
        var second = Create(With(BriefPayload(), ("client_secret", null)), id: "con_b", name: "b");
        Azure.OnToken = _ => StubAzure.Error(500, "server_error", 50033);
        for (var i = 0; i < 5; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(first));
        }

        Azure.OnToken = null;
        var calls = Azure.Requests.Count;
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(second));
        Assert.Contains("circuit open", e.Detail, StringComparison.Ordinal);
        Assert.Equal(calls, Azure.Requests.Count);
    }

    [Fact]
    public async Task Circuits_are_per_authority()
    {
        var broken = Create(With(BriefPayload(), ("client_secret", null)), id: "con_a", name: "a");
        var healthy = Create(With(BriefPayload(), ("client_secret", null), ("tenant_domain", StubAzure.TenantId.ToString())), id: "con_b", name: "b");
        Azure.OnToken = r => r.Url.AbsolutePath.StartsWith("/" + StubAzure.TenantDomain, StringComparison.Ordinal)
            ? StubAzure.Error(500, "server_error", 50033)
            : null;
        for (var i = 0; i < 6; i++)
        {
            await Assert.ThrowsAsync<UpstreamUnavailableException>(() => Login(broken));
        }

        AssertSuccess(await Login(healthy));
    }

    [Fact]
    public async Task A_token_request_that_never_answers_times_out_after_the_configured_time()
    {
        var arrived = new TaskCompletionSource();
        Azure.BeforeAnswer = async (r, ct) =>
        {
            if (r.IsToken)
            {
                arrived.TrySetResult();
                await Task.Delay(Timeout.InfiniteTimeSpan, ct); // like a socket that never answers
            }
        };
        var login = Login(Connection());
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Time.Advance(TimeSpan.FromSeconds(10));
        var e = await Assert.ThrowsAsync<UpstreamUnavailableException>(() => login.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Contains("no answer within 10000 ms", e.Detail, StringComparison.Ordinal);
        Assert.Single(Azure.TokenRequests);
    }

    [Fact]
    public async Task The_caller_cancelling_is_not_an_outage()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Connection().LoginAsync(StubAzure.UserName, StubAzure.Password, new LoginContext("c", null, null, CorrelationId), cts.Token));
    }
}
