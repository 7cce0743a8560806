using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Gatehouse.Core.Observability;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>What a trace collector sees of one login: its span, and under it the Azure AD, Graph and store calls.</summary>
public sealed class TraceTests(ObservedServer observed) : IClassFixture<ObservedServer>
{
    [Fact]
    public async Task A_login_is_one_span_with_child_spans_for_azure_ad_graph_and_the_store()
    {
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == GatehouseTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        Assert.Equal(HttpStatusCode.OK, (await observed.LoginAsync(ObservedServer.Password)).StatusCode);

        // Other tests run at the same time: this login's span is the one naming this fixture's connection.
        var login = Assert.Single(stopped, a => a.OperationName == "gatehouse.token" && (string?)a.GetTagItem("gatehouse.connection") == observed.Connection);
        Assert.Equal("success", login.GetTagItem("gatehouse.outcome"));
        Assert.Equal("http://auth0.com/oauth/grant-type/password-realm", login.GetTagItem("gatehouse.grant_type"));
        Assert.Equal(observed.Tenant.NativeClientId, login.GetTagItem("gatehouse.client_id"));

        var children = stopped.Where(a => a.ParentSpanId == login.SpanId && a.TraceId == login.TraceId).ToList();
        var token = Assert.Single(children, a => a.OperationName == "upstream azure_ad.token");
        Assert.Equal(200, token.GetTagItem("http.response.status_code"));
        Assert.Contains(children, a => a.OperationName == "upstream graph");
        Assert.Contains(children, a => a.OperationName.StartsWith("store ", StringComparison.Ordinal));
        Assert.All(children, child => Assert.InRange(child.StartTimeUtc, login.StartTimeUtc, login.StartTimeUtc + login.Duration));

        // A span carries no user, password or SQL: only bounded names.
        var tags = stopped.Where(a => a.TraceId == login.TraceId).SelectMany(a => a.TagObjects).Select(t => $"{t.Key}={t.Value}").ToList();
        Assert.DoesNotContain(tags, t => t.Contains(ObservedServer.Password, StringComparison.Ordinal)
            || t.Contains("observed.user", StringComparison.OrdinalIgnoreCase) || t.Contains("SELECT", StringComparison.OrdinalIgnoreCase));
    }
}
