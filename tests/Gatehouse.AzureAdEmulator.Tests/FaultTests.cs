using System.Diagnostics;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Tests.Support;

namespace Gatehouse.AzureAd.Emulator.Tests;

/// <summary>Fault injection (§11.4) through the library API and the admin API.</summary>
public sealed class FaultTests : IClassFixture<EmulatorFixture>
{
    private const string Scope = "openid profile https://graph.microsoft.com/User.Read";
    private readonly AzureAdEmulator _emulator;
    private readonly StsClient _sts;

    public FaultTests(EmulatorFixture fixture)
    {
        // Tests of one class run one at a time; each starts with no faults.
        _emulator = fixture.Emulator;
        _sts = fixture.Sts;
        _emulator.Faults.Clear();
    }

    private Task<Reply> LoginAsync(string user = DemoDirectory.Adele) => _sts.PasswordV2Async(user, Scope);

    [Fact]
    public async Task Throttle_gives_429_with_delta_retry_after_and_a_plain_body_then_recovers()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, RetryAfterSeconds = 7, Count = 1 });

        var throttled = await LoginAsync();
        var next = await LoginAsync();

        Assert.Equal(429, (int)throttled.Status);
        Assert.Equal("7", throttled.Header("Retry-After"));
        Assert.Equal("Too Many Requests", throttled.Body);
        Assert.Equal(200, (int)next.Status);
        Assert.Empty(_emulator.Faults.Rules);
    }

    [Fact]
    public async Task Throttle_can_send_retry_after_as_a_date()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, RetryAfterSeconds = 30, RetryAfterAsDate = true, Count = 1 });

        var reply = await LoginAsync();

        Assert.True(DateTimeOffset.TryParse(reply.Header("Retry-After"), out var when));
        Assert.InRange(when, DateTimeOffset.UtcNow.AddSeconds(20), DateTimeOffset.UtcNow.AddSeconds(40));
    }

    [Theory]
    [InlineData(500, "server_error", 50033)]
    [InlineData(503, "temporarily_unavailable", 90033)]
    public async Task Server_errors_have_aadsts_json(int status, string error, int code)
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.ServerError, Status = status, Count = 1 });

        var reply = await LoginAsync();

        Assert.Equal(status, (int)reply.Status);
        Assert.Equal(error, reply.Error);
        Assert.Equal(code, reply.ErrorCode);
    }

    [Fact]
    public async Task Html_errors_are_not_json()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.HtmlError, Status = 502, Count = 1 });

        var reply = await LoginAsync();

        Assert.Equal(502, (int)reply.Status);
        Assert.StartsWith("text/html", reply.Header("Content-Type"), StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", reply.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latency_delays_a_normal_answer()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Latency, DelayMs = 300, Count = 1 });

        var watch = Stopwatch.StartNew();
        var reply = await LoginAsync();

        Assert.Equal(200, (int)reply.Status);
        Assert.True(watch.ElapsedMilliseconds >= 290, $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Timeout_hangs_until_the_client_gives_up()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Timeout, Route = FaultRoute.Discovery, Count = 1 });
        using var http = new HttpClient(_emulator.CreateTrustingHandler()) { BaseAddress = new Uri(_emulator.BaseUrl), Timeout = TimeSpan.FromMilliseconds(500) };

        await Assert.ThrowsAsync<TaskCanceledException>(() => http.GetAsync($"{DemoDirectory.TenantId}/v2.0/.well-known/openid-configuration"));
    }

    [Fact]
    public async Task Reset_aborts_the_connection()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Reset, Route = FaultRoute.Keys, Count = 1 });

        await Assert.ThrowsAsync<HttpRequestException>(() => _sts.Http.GetAsync("common/discovery/keys"));
        Assert.Equal(200, (int)(await _sts.GetAsync("common/discovery/keys")).Status);
    }

    [Fact]
    public async Task Malformed_json_does_not_parse()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.MalformedJson, Count = 1 });

        var reply = await LoginAsync();

        Assert.Equal(200, (int)reply.Status);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(reply.Body));
    }

    [Fact]
    public async Task Loop_detected_is_invalid_grant_50196()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.LoopDetected, Count = 1 });

        var reply = await LoginAsync();

        Assert.Equal("invalid_grant", reply.Error);
        Assert.Equal(50196, reply.ErrorCode);
    }

    [Fact]
    public async Task A_user_scoped_fault_only_hits_that_user()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, User = DemoDirectory.Megan, Count = 1 });

        var adele = await LoginAsync(DemoDirectory.Adele);
        var megan = await LoginAsync(DemoDirectory.Megan);

        Assert.Equal(200, (int)adele.Status);
        Assert.Equal(429, (int)megan.Status);
    }

    [Fact]
    public async Task Graph_faults_use_graph_error_bodies()
    {
        var token = (await LoginAsync()).Json.GetProperty("access_token").GetString()!;
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.Throttle, Route = FaultRoute.Graph, User = DemoDirectory.Adele, Count = 1 });

        var reply = await _sts.GetAsync("v1.0/me", token);

        Assert.Equal(429, (int)reply.Status);
        Assert.Equal("TooManyRequests", reply.Json.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unsigned_id_token_fault_sends_alg_none_on_v2()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.UnsignedIdToken, Route = FaultRoute.TokenV2, Count = 1 });

        var jwt = JwtParts.Decode((await LoginAsync()).Json.GetProperty("id_token").GetString()!);

        Assert.Equal("none", jwt.Header.GetProperty("alg").GetString());
        Assert.Equal("", jwt.Signature);
    }

    [Theory]
    [InlineData(FaultKind.WrongIssuer, "iss")]
    [InlineData(FaultKind.WrongAudience, "aud")]
    [InlineData(FaultKind.WrongTenant, "tid")]
    public async Task Claim_faults_change_that_claim_only(string kind, string claim)
    {
        var good = JwtParts.Decode((await LoginAsync(DemoDirectory.Megan)).Json.GetProperty("id_token").GetString()!);
        _emulator.Faults.Add(new FaultRule { Kind = kind, Count = 1 });

        var bad = JwtParts.Decode((await LoginAsync(DemoDirectory.Megan)).Json.GetProperty("id_token").GetString()!);

        Assert.NotEqual(good.Claim(claim), bad.Claim(claim));
        foreach (var other in new[] { "iss", "aud", "tid" }.Where(c => c != claim))
            Assert.Equal(good.Claim(other), bad.Claim(other));
    }

    [Fact]
    public async Task Expired_token_fault_issues_tokens_already_expired()
    {
        _emulator.Faults.Add(new FaultRule { Kind = FaultKind.ExpiredToken, Count = 1 });

        var reply = await LoginAsync();
        var jwt = JwtParts.Decode(reply.Json.GetProperty("access_token").GetString()!);

        Assert.True(jwt.Payload.GetProperty("exp").GetInt64() < DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(401, (int)(await _sts.GetAsync("v1.0/me", reply.Json.GetProperty("access_token").GetString())).Status);
    }

    [Fact]
    public async Task Key_rotation_changes_the_kid_and_keeps_or_drops_the_old_key()
    {
        var before = JwtParts.Decode((await LoginAsync()).Json.GetProperty("id_token").GetString()!).Header.GetProperty("kid").GetString();
        var oldToken = (await LoginAsync()).Json.GetProperty("access_token").GetString()!;

        var kept = _emulator.Faults.RotateSigningKey(keepOldKey: true);
        var keysKept = await _sts.GetAsync("common/discovery/v2.0/keys");
        var dropped = _emulator.Faults.RotateSigningKey(keepOldKey: false);
        var keysDropped = await _sts.GetAsync("common/discovery/v2.0/keys");
        var after = JwtParts.Decode((await LoginAsync()).Json.GetProperty("id_token").GetString()!).Header.GetProperty("kid").GetString();

        Assert.Equal([kept, before], keysKept.Json.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal([dropped], keysDropped.Json.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(dropped, after);
        Assert.Equal(401, (int)(await _sts.GetAsync("v1.0/me", oldToken)).Status);
    }

    [Fact]
    public async Task The_admin_api_adds_lists_and_refuses_bad_faults()
    {
        var added = await _sts.PostJsonAsync("_emulator/faults", "{\"route\":\"token_v1\",\"kind\":\"throttle\",\"count\":1}");
        var listed = await _sts.GetAsync("_emulator/faults");
        var v2 = await LoginAsync();
        var v1 = await _sts.PasswordV1Async(DemoDirectory.Adele, "https://graph.microsoft.com");
        var bad = await _sts.PostJsonAsync("_emulator/faults", "{\"kind\":\"explode\"}");

        Assert.Equal(201, (int)added.Status);
        Assert.Equal("throttle", listed.Json[0].GetProperty("kind").GetString());
        Assert.Equal(200, (int)v2.Status);
        Assert.Equal(429, (int)v1.Status);
        Assert.Equal(400, (int)bad.Status);
        Assert.Equal("$.kind", bad.Json.GetProperty("errors")[0].GetProperty("path").GetString());
    }
}
