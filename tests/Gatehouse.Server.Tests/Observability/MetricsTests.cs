using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Gatehouse.Server.Tests.Observability;

/// <summary>The Prometheus listener: what a login moves, where it is served (and where not), and what its labels never hold.</summary>
public sealed class MetricsTests(ObservedServer observed) : IClassFixture<ObservedServer>
{
    [Fact]
    public async Task A_login_against_the_emulator_moves_the_login_counter_and_the_latency_histograms()
    {
        var before = await observed.ScrapeAsync();
        Assert.Equal(HttpStatusCode.OK, (await observed.LoginAsync(ObservedServer.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await observed.LoginAsync("Wrong-Pw-1")).StatusCode);
        var after = await observed.ScrapeAsync();

        var connection = $"connection=\"{observed.Connection}\"";
        Assert.Equal(1, Value(after, "gatehouse_token_requests_total", connection, "outcome=\"success\"") - Value(before, "gatehouse_token_requests_total", connection, "outcome=\"success\""));
        Assert.Equal(1, Value(after, "gatehouse_token_requests_total", connection, "outcome=\"failure\"", "error=\"invalid_grant\""));
        Assert.True(Value(after, "gatehouse_token_duration_seconds_count", "outcome=\"success\"") > Value(before, "gatehouse_token_duration_seconds_count", "outcome=\"success\""), after);
        Assert.True(Value(after, "gatehouse_upstream_duration_seconds_count", "upstream_operation=\"azure_ad.token\"")
            >= Value(before, "gatehouse_upstream_duration_seconds_count", "upstream_operation=\"azure_ad.token\"") + 2, after);
        Assert.True(Value(after, "gatehouse_upstream_duration_seconds_count", "upstream_operation=\"graph\"") > 0, after);
        Assert.True(Value(after, "gatehouse_upstream_aadsts_total", "aadsts=\"50126\"") >= 1, after); // the wrong password, by its AADSTS code
        Assert.True(Value(after, "gatehouse_store_duration_seconds_count", "db_operation=\"reader\"") > Value(before, "gatehouse_store_duration_seconds_count", "db_operation=\"reader\""), after);
    }

    [Fact]
    public async Task Metrics_labels_hold_no_user_password_client_or_unknown_input()
    {
        Assert.Equal(HttpStatusCode.OK, (await observed.LoginAsync(ObservedServer.Password)).StatusCode);
        await observed.Tenant.TokenAsync(("grant_type", "password"), ("client_id", "client-typed-" + ObservedServer.Password), ("username", "x"), ("password", ObservedServer.Password));
        await observed.Tenant.TokenAsync(("grant_type", "http://auth0.com/oauth/grant-type/password-realm"), ("client_id", observed.Tenant.NativeClientId),
            ("realm", "realm-typed-" + ObservedServer.Password), ("username", "x"), ("password", ObservedServer.Password));
        await observed.Tenant.TokenAsync(("grant_type", "urn:grant-typed"), ("client_id", observed.Tenant.NativeClientId));
        var text = await observed.ScrapeAsync();

        foreach (var needle in new[] { ObservedServer.Password, ObservedServer.User, "observed.user", observed.Tenant.NativeClientId, "client-typed", "realm-typed", "grant-typed", "127.0.0.1" })
            Assert.False(text.Contains(needle, StringComparison.OrdinalIgnoreCase), $"the metrics hold '{needle}'");
        Assert.Contains("grant_type=\"unknown\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_are_served_on_their_own_port_only()
    {
        using var onPublicPort = await observed.Tenant.Server.Client.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.NotFound, onPublicPort.StatusCode);
        Assert.DoesNotContain("gatehouse_", await onPublicPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The Host header is the caller's to choose: naming the metrics port on the public listener changes nothing.
        using var spoofed = new HttpRequestMessage(HttpMethod.Get, "metrics");
        spoofed.Headers.Host = $"127.0.0.1:{observed.MetricsPort}";
        using var spoofedResponse = await observed.Tenant.Server.Client.SendAsync(spoofed);
        Assert.Equal(HttpStatusCode.NotFound, spoofedResponse.StatusCode);

        // The metrics listener serves nothing else: not the token endpoint, not the Management API.
        using var token = await observed.Metrics.PostAsync("oauth/token", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.NotFound, token.StatusCode);
        using var users = await observed.Metrics.GetAsync("api/v2/users");
        Assert.Equal(HttpStatusCode.NotFound, users.StatusCode);

        // The issuer is still the public listener.
        Assert.DoesNotContain($":{observed.MetricsPort}", observed.Tenant.Server.Issuer, StringComparison.Ordinal);
    }

    /// <summary>The sum of the samples of <paramref name="metric"/> whose labels include all of <paramref name="labels"/> (0 when none).</summary>
    private static double Value(string scrape, string metric, params string[] labels) =>
        scrape.Split('\n')
            .Select(line => Regex.Match(line, $@"^{Regex.Escape(metric)}\{{(?<labels>[^}}]*)\}} (?<value>\S+)"))
            .Where(m => m.Success && labels.All(l => m.Groups["labels"].Value.Contains(l, StringComparison.Ordinal)))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
}
