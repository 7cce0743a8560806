using System.Net;
using Gatehouse.Core.Logs;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>
/// auth0-forwarded-for is the end user's IP only from a confidential client that authenticated with its secret and is
/// trusted for it; otherwise the socket address counts and is logged.
/// </summary>
public class ForwardedForTests(ProtectionFixture fixture) : IClassFixture<ProtectionFixture>
{
    private async Task<(string? Ip, string? ClientIp)> LastLogAsync(string type, string username)
    {
        var log = (await fixture.LogsAsync(type)).First(l => l.UserName == username);
        return (log.Ip, log.ClientIp);
    }

    [Fact]
    public async Task The_header_counts_only_from_a_trusted_confidential_client_with_its_secret()
    {
        await fixture.AddUserAsync("ff.user@example.com");
        const string forwarded = "203.0.113.45";

        await HttpAssert.OkJsonAsync(await fixture.SendAsync(fixture.Trusted.Id, fixture.Trusted.Secret, ProtectionFixture.Db, "ff.user@example.com", ProtectionFixture.Password, forwarded));
        Assert.Equal((forwarded, "127.0.0.1"), await LastLogAsync(LogTypes.SuccessPasswordExchange, "ff.user@example.com"));

        await HttpAssert.OkJsonAsync(await fixture.SendAsync(fixture.NativeClientId, null, ProtectionFixture.Db, "ff.user@example.com", ProtectionFixture.Password, forwarded));
        Assert.Equal(("127.0.0.1", "127.0.0.1"), await LastLogAsync(LogTypes.SuccessPasswordExchange, "ff.user@example.com"));

        await HttpAssert.OkJsonAsync(await fixture.SendAsync(fixture.Untrusted.Id, fixture.Untrusted.Secret, ProtectionFixture.Db, "ff.user@example.com", ProtectionFixture.Password, forwarded));
        Assert.Equal(("127.0.0.1", "127.0.0.1"), await LastLogAsync(LogTypes.SuccessPasswordExchange, "ff.user@example.com"));

        await HttpAssert.OAuthErrorAsync(await fixture.SendAsync(fixture.Trusted.Id, "not-the-secret", ProtectionFixture.Db, "ff.user@example.com", ProtectionFixture.Password, forwarded), 401, "invalid_client");
        Assert.Equal(("127.0.0.1", "127.0.0.1"), await LastLogAsync(LogTypes.FailedLogin, "ff.user@example.com"));

        await HttpAssert.OkJsonAsync(await fixture.SendAsync(fixture.Trusted.Id, fixture.Trusted.Secret, ProtectionFixture.Db, "ff.user@example.com", ProtectionFixture.Password, "not an ip"));
        Assert.Equal(("127.0.0.1", "127.0.0.1"), await LastLogAsync(LogTypes.SuccessPasswordExchange, "ff.user@example.com"));
    }

    [Fact]
    public async Task Failures_are_counted_under_the_ip_that_counts()
    {
        await fixture.AddUserAsync("ff.count@example.com");
        await fixture.PatchSettingsAsync("brute-force-protection", new { max_attempts = 2 });
        try
        {
            // A public client cannot move its failures to another IP with the header: they stay on the socket address.
            for (var i = 0; i < 2; i++)
                await fixture.SendAsync(fixture.NativeClientId, null, ProtectionFixture.Db, "ff.count@example.com", "wrong", $"203.0.113.{60 + i}");
            Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.SendAsync(fixture.NativeClientId, null, ProtectionFixture.Db, "ff.count@example.com", ProtectionFixture.Password, "203.0.113.70")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await fixture.LoginAsync(ProtectionFixture.Db, "ff.count@example.com", ProtectionFixture.Password, "203.0.113.70")).StatusCode);
        }
        finally
        {
            await fixture.ResetSettingsAsync();
            await fixture.Management.DeleteAsync("user-blocks?identifier=ff.count%40example.com");
        }
    }
}
