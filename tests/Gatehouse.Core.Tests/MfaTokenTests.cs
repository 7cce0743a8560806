using System.Text.Json;
using Gatehouse.Core.Authorization;
using Gatehouse.Core.Connections;
using Microsoft.Extensions.Time.Testing;

namespace Gatehouse.Core.Tests;

/// <summary>mfa_tokens: 10 minutes, single use, bound to the client; the continued login must be the attempted account.</summary>
public class MfaTokenTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static MfaBinding Binding(string? externalKey = null) =>
        new("web", "con_1", "contoso", "Megan@Contoso.onmicrosoft.com", externalKey, null, "openid", default);

    [Fact]
    public async Task A_token_is_spent_by_its_first_use()
    {
        var tokens = new MfaTokens(new FakeTimeProvider(Start));
        var raw = await tokens.IssueAsync(Binding(), default);

        Assert.Equal(MfaTokenRefusal.None, (await tokens.TakeAsync(raw, "web", default)).Refusal);
        Assert.Equal(MfaTokenRefusal.Unknown, (await tokens.TakeAsync(raw, "web", default)).Refusal);
    }

    [Fact]
    public async Task A_token_older_than_ten_minutes_is_expired_not_unknown()
    {
        var time = new FakeTimeProvider(Start);
        var tokens = new MfaTokens(time);
        var fresh = await tokens.IssueAsync(Binding(), default);
        var old = await tokens.IssueAsync(Binding(), default);

        time.Advance(TimeSpan.FromMinutes(10) - TimeSpan.FromSeconds(1));
        Assert.Equal(MfaTokenRefusal.None, (await tokens.TakeAsync(fresh, "web", default)).Refusal);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(MfaTokenRefusal.Expired, (await tokens.TakeAsync(old, "web", default)).Refusal);
    }

    [Fact]
    public async Task A_token_presented_by_another_client_is_refused_and_spent()
    {
        var tokens = new MfaTokens(new FakeTimeProvider(Start));
        var raw = await tokens.IssueAsync(Binding(), default);

        Assert.Equal(MfaTokenRefusal.OtherClient, (await tokens.TakeAsync(raw, "other", default)).Refusal);
        Assert.Equal(MfaTokenRefusal.Unknown, (await tokens.TakeAsync(raw, "web", default)).Refusal);
    }

    [Fact]
    public async Task A_browser_handle_keeps_the_tokens_deadline()
    {
        var time = new FakeTimeProvider(Start);
        var tokens = new MfaTokens(time);
        var (binding, _) = await tokens.TakeAsync(await tokens.IssueAsync(Binding(), default), "web", default);
        time.Advance(TimeSpan.FromMinutes(9));
        var handle = await tokens.IssueBrowserHandleAsync(binding!, default);

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(MfaTokenRefusal.Expired, (await tokens.TakeBrowserHandleAsync(handle, "web", default)).Refusal);
    }

    [Theory]
    [InlineData("megan@contoso.onmicrosoft.com", "tid/oid-megan", null, true)]
    [InlineData("adele@contoso.onmicrosoft.com", "tid/oid-adele", null, false)]
    [InlineData("megan@contoso.onmicrosoft.com", "tid/oid-megan", "tid/oid-megan", true)]
    [InlineData("megan@contoso.onmicrosoft.com", "tid/oid-new", "tid/oid-megan", false)] // same upn, another account
    public void The_continued_login_must_be_the_attempted_account(string upn, string externalKey, string? bound, bool matches)
    {
        var identity = new UpstreamIdentity("waad", externalKey, externalKey, null, false, null, null, null, null,
            JsonSerializer.SerializeToElement(new { upn }), UpstreamTokens.None, RootAttributesPolicy.OnEachLogin);

        Assert.Equal(matches, MfaAccountMatch.Mismatch(Binding(bound), "con_1", identity) is null);
        Assert.NotNull(MfaAccountMatch.Mismatch(Binding(bound), "con_2", identity));
    }
}
