using System.Text.Json;
using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Tests;

/// <summary>Auth0's session_lifetime and idle_session_lifetime (hours) as the SSO session applies them.</summary>
public sealed class SessionLifetimesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 8, 0, 0, TimeSpan.Zero);

    private static TenantSettings Tenant(string extra) => new("", "", "", JsonSerializer.Deserialize<JsonElement>(extra), 1);

    private static SsoSession Session(SessionLifetimes lifetimes) =>
        new("id", "auth0|u", ["db"], ["app"], T0, T0, T0 + lifetimes.Absolute, T0 + lifetimes.Idle, null, null, T0, 1);

    [Theory]
    [InlineData("{}", 168, 72)]
    [InlineData("""{"session_lifetime":2,"idle_session_lifetime":0.5}""", 2, 0.5)]
    [InlineData("""{"session_lifetime":"2","idle_session_lifetime":null}""", 168, 72)]  // not numbers: the defaults
    [InlineData("""{"session_lifetime":0,"idle_session_lifetime":-1}""", 168, 72)]     // not positive: the defaults
    [InlineData("""{"session_lifetime":1e9}""", 168, 72)]                              // beyond a year: the default
    public void Settings_are_hours_with_auth0s_defaults(string extra, double absolute, double idle)
    {
        var lifetimes = SessionLifetimes.From(Tenant(extra));
        Assert.Equal(TimeSpan.FromHours(absolute), lifetimes.Absolute);
        Assert.Equal(TimeSpan.FromHours(idle), lifetimes.Idle);
    }

    [Fact]
    public void An_interaction_moves_the_idle_end_but_never_past_the_absolute_end()
    {
        var lifetimes = new SessionLifetimes(TimeSpan.FromHours(2), TimeSpan.FromHours(1));
        var session = Session(lifetimes);

        var touched = lifetimes.Touch(session, T0.AddMinutes(90));

        Assert.Equal(T0.AddMinutes(90), touched.LastInteractionAt);
        Assert.Equal(T0.AddHours(2), touched.ExpiresAt);
        Assert.Equal(T0.AddHours(2), touched.IdleExpiresAt); // 90 min + 1 h would pass the absolute end
        Assert.True(lifetimes.IsLive(touched, T0.AddMinutes(119)));
        Assert.False(lifetimes.IsLive(touched, T0.AddHours(2)));
    }

    [Fact]
    public void A_lowered_setting_applies_to_a_session_made_under_the_old_one()
    {
        var session = Session(SessionLifetimes.Default);
        var lowered = new SessionLifetimes(TimeSpan.FromHours(10), TimeSpan.FromMinutes(30));

        Assert.True(SessionLifetimes.Default.IsLive(session, T0.AddHours(1)));
        Assert.False(lowered.IsLive(session, T0.AddHours(1)));      // idle: 30 min since the last interaction
        Assert.False(lowered.IsLive(lowered.Touch(session, T0.AddHours(10)), T0.AddHours(10).AddMinutes(1))); // absolute
    }
}
