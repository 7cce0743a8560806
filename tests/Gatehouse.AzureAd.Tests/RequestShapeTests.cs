using System.Text.Json.Nodes;
using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests;

public sealed class RequestShapeTests : WaadTestBase
{
    [Fact]
    public async Task The_brief_payload_posts_a_v2_password_grant_for_the_web_api()
    {
        Azure.AppIsPublic = false;
        Azure.AppSecret = "any_value";
        AssertSuccess(await Login(Create(BriefPayload())));

        var post = Assert.Single(Azure.TokenRequests);
        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/oauth2/v2.0/token", post.Url.AbsoluteUri);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["grant_type"] = "password",
                ["client_id"] = StubAzure.ClientId,
                ["client_secret"] = "any_value",
                ["scope"] = $"openid profile offline_access email {StubAzure.AppId}/.default",
                ["username"] = StubAzure.UserName,
                ["password"] = StubAzure.Password,
            },
            post.Form);
        Assert.Equal(CorrelationId, post.Headers["client-request-id"]);
        Assert.Equal("application/json", post.Headers["Accept"]);
    }

    [Fact]
    public async Task V1_sends_the_app_id_as_resource_and_scope_openid()
    {
        AssertSuccess(await Login(Create(With(BriefPayload(), ("identity_api", WaadOptionsParser.IdentityApiV1), ("client_secret", null)))));

        var post = Assert.Single(Azure.TokenRequests);
        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/oauth2/token", post.Url.AbsoluteUri);
        Assert.Equal(StubAzure.AppId, post.Form["resource"]);
        Assert.Equal("openid", post.Form["scope"]);
        Assert.False(post.Form.ContainsKey("client_secret"));
    }

    [Fact]
    public async Task V2_without_app_id_asks_for_graph_user_read_plus_the_scope_option()
    {
        AssertSuccess(await Login(Create(With(BriefPayload(), ("app_id", null), ("client_secret", null), ("scope", new JsonArray("GroupMember.Read.All"))))));
        Assert.Equal("openid profile offline_access email User.Read GroupMember.Read.All", Azure.TokenRequests.Single().Form["scope"]);
    }

    [Fact]
    public async Task A_non_guid_correlation_id_is_replaced_by_a_fresh_guid_upstream()
    {
        var connection = Create(With(BriefPayload(), ("client_secret", null)));
        await connection.LoginAsync(StubAzure.UserName, StubAzure.Password, new LoginContext("c", null, null, "req-17"), CancellationToken.None);
        Assert.True(Guid.TryParse(Azure.TokenRequests.Single().Headers["client-request-id"], out _));
    }

    [Fact]
    public async Task Discovery_is_fetched_once_and_cached()
    {
        var connection = Create(With(BriefPayload(), ("client_secret", null)));
        AssertSuccess(await Login(connection));
        AssertSuccess(await Login(connection));
        Assert.Single(Azure.Requests, r => r.Url.AbsolutePath.EndsWith("openid-configuration", StringComparison.Ordinal));
        Assert.Equal($"{StubAzure.Authority}{StubAzure.TenantDomain}/v2.0/.well-known/openid-configuration",
            Azure.Requests.First().Url.AbsoluteUri);
    }

    [Fact]
    public async Task Empty_credentials_never_reach_azure()
    {
        var connection = Create(BriefPayload());
        Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, password: ""));
        Assert.IsType<PasswordLoginResult.InvalidCredentials>(await Login(connection, username: "  "));
        Assert.Empty(Azure.Requests);
    }

    public static TheoryData<string> FailureModes => ["500", "timeout", "50126", "badtoken", "malformed", "53003", "429"];

    [Theory]
    [MemberData(nameof(FailureModes))]
    public async Task The_password_appears_in_no_exception_detail_url_or_header(string mode)
    {
        const string password = "S3cret-Pa55word-Never-Logged";
        Azure.Users[StubAzure.UserName] = new StubUser(password, StubAzure.Oid, StubAzure.Sub);
        Azure.OnToken = _ => mode switch
        {
            "500" => StubAzure.Error(500, "server_error", 50033),
            "50126" => StubAzure.Error(400, "invalid_grant", 50126),
            "53003" => StubAzure.Error(400, "invalid_grant", 53003, "message_only"),
            "429" => StubAzure.Text(429, "Too Many Requests", TimeSpan.FromSeconds(3)),
            "malformed" => StubAzure.Text(200, "{\"access_token\": "),
            "timeout" => throw new TaskCanceledException("simulated time-out"),
            _ => null,
        };
        if (mode == "badtoken")
        {
            Azure.TweakClaims = c => c["aud"] = "someone-else";
        }

        var texts = new List<string>();
        try
        {
            var result = await Create(With(BriefPayload(), ("client_secret", null))).LoginAsync(
                StubAzure.UserName, password, new LoginContext("c", "198.51.100.1", "ua", CorrelationId), CancellationToken.None);
            texts.Add(result.ToString());
        }
        catch (UpstreamUnavailableException e)
        {
            texts.Add(e.ToString());
            texts.Add(e.Detail);
        }

        texts.AddRange(Azure.Requests.Select(r => r.Url.AbsoluteUri + string.Join(";", r.Headers.Values)));
        Assert.NotEmpty(texts);
        Assert.All(texts, t => Assert.DoesNotContain(password, t, StringComparison.Ordinal));
    }
}
