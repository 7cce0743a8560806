using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests;

/// <summary>docs/waad.md, the client secret rule: with a Native (public) app the client secret does not matter; a confidential app works too.</summary>
public sealed class ClientSecretRuleTests : WaadTestBase
{
    [Fact]
    public async Task Brief_payload_with_a_public_app_retries_once_without_the_secret_and_remembers()
    {
        Azure.AppIsPublic = true;
        var connection = Create(BriefPayload());

        AssertSuccess(await Login(connection));
        var posts = Azure.TokenRequests.ToList();
        Assert.Equal(2, posts.Count);
        Assert.Equal("any_value", posts[0].Form["client_secret"]);
        Assert.False(posts[1].Form.ContainsKey("client_secret"));

        AssertSuccess(await Login(connection));
        var third = Assert.Single(Azure.TokenRequests.Skip(2));
        Assert.False(third.Form.ContainsKey("client_secret")); // learned: public
    }

    [Fact]
    public async Task The_learned_mode_survives_create_for_the_same_version_and_resets_for_a_new_version()
    {
        Azure.AppIsPublic = true;
        AssertSuccess(await Login(Create(BriefPayload(), version: 1)));
        AssertSuccess(await Login(Create(BriefPayload(), version: 1)));
        Assert.Equal(3, Azure.TokenRequests.Count());

        AssertSuccess(await Login(Create(BriefPayload(), version: 2)));
        Assert.Equal(5, Azure.TokenRequests.Count()); // new options may hold a new secret: learn again
    }

    [Fact]
    public async Task A_wrong_password_costs_exactly_one_lockout_count_even_with_the_retry()
    {
        Azure.AppIsPublic = true;
        var result = await Login(Create(BriefPayload()), password: "wrong");
        Assert.IsType<PasswordLoginResult.InvalidCredentials>(result);
        Assert.Equal(2, Azure.TokenRequests.Count());
        Assert.Equal(1, Azure.FailedPasswords[StubAzure.UserName]);
    }

    [Fact]
    public async Task A_confidential_app_with_its_secret_needs_one_post()
    {
        Azure.AppIsPublic = false;
        Azure.AppSecret = "s3cr3t";
        var connection = Create(With(BriefPayload(), ("client_secret", "s3cr3t")));
        AssertSuccess(await Login(connection));
        Assert.Equal("s3cr3t", Assert.Single(Azure.TokenRequests).Form["client_secret"]);
    }

    [Fact]
    public async Task An_app_that_turns_confidential_is_retried_with_the_secret()
    {
        Azure.AppIsPublic = true;
        Azure.AppSecret = "any_value";
        var connection = Create(BriefPayload());
        AssertSuccess(await Login(connection)); // learns public
        Azure.AppIsPublic = false;              // the admin unticks "Allow public client flows"

        AssertSuccess(await Login(connection));
        var last = Azure.TokenRequests.TakeLast(2).ToList();
        Assert.False(last[0].Form.ContainsKey("client_secret"));
        Assert.Equal("any_value", last[1].Form["client_secret"]);
    }

    [Fact]
    public async Task A_confidential_app_without_a_configured_secret_is_misconfigured_after_one_post()
    {
        Azure.AppIsPublic = false;
        var denied = AssertDenied(await Login(Create(With(BriefPayload(), ("client_secret", null)))), 403, "access_denied");
        Assert.Equal(WaadRefusals.MisconfiguredDescription, denied.Description);
        Assert.Contains("aadsts=7000218", denied.Detail, StringComparison.Ordinal);
        Assert.Single(Azure.TokenRequests);
    }

    [Fact]
    public async Task A_wrong_secret_on_a_confidential_app_is_misconfigured_and_not_retried()
    {
        Azure.AppIsPublic = false;
        Azure.AppSecret = "the-real-one";
        var denied = AssertDenied(await Login(Create(BriefPayload())), 403, "access_denied");
        Assert.Contains("aadsts=7000215", denied.Detail, StringComparison.Ordinal);
        Assert.Single(Azure.TokenRequests);
    }

    [Fact]
    public async Task A_secret_that_cannot_be_decrypted_is_not_sent_and_the_audit_detail_says_so()
    {
        Azure.AppIsPublic = false;
        var stored = StoredConnection(BriefPayload());
        var raw = System.Text.Json.Nodes.JsonNode.Parse(stored.Options.GetRawText())!.AsObject();
        raw["client_secret"] = "plaintext-that-was-never-protected";
        var connection = (IPasswordConnection)Strategy.Create(stored with { Options = System.Text.Json.JsonSerializer.SerializeToElement(raw) });

        var denied = AssertDenied(await Login(connection), 403, "access_denied");
        Assert.Contains("could not be decrypted", denied.Detail, StringComparison.Ordinal);
        Assert.False(Assert.Single(Azure.TokenRequests).Form.ContainsKey("client_secret"));
    }
}
