using System.Net;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Protection;

/// <summary>A brute-force block lifts by itself Protection:BlockDuration (30 days) after the last failure (Gatehouse's clock is fake here).</summary>
public class BlockExpiryTests(ClockedProtectionFixture fixture) : IClassFixture<ClockedProtectionFixture>
{
    [Fact]
    public async Task A_block_lifts_thirty_days_after_the_last_failure()
    {
        await fixture.AddUserAsync("exp.user@example.com");
        const string ip = "198.51.100.140";
        for (var i = 0; i < 10; i++)
            await fixture.LoginAsync(ProtectionFixture.Db, "exp.user@example.com", "wrong", ip);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.LoginAsync(ProtectionFixture.Db, "exp.user@example.com", ProtectionFixture.Password, ip)).StatusCode);

        fixture.Time!.Advance(TimeSpan.FromDays(30) - TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.TooManyRequests, (await fixture.LoginAsync(ProtectionFixture.Db, "exp.user@example.com", ProtectionFixture.Password, ip)).StatusCode);
        fixture.Time.Advance(TimeSpan.FromMinutes(2));
        await HttpAssert.OkJsonAsync(await fixture.LoginAsync(ProtectionFixture.Db, "exp.user@example.com", ProtectionFixture.Password, ip));
    }
}
