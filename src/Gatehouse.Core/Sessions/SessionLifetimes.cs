using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Sessions;

/// <summary>
/// Auth0's tenant settings <c>session_lifetime</c> (absolute) and <c>idle_session_lifetime</c> (inactivity), in hours,
/// defaults 168 and 72. Raising them affects new sessions; lowering them takes effect at the next interaction, because
/// every check recomputes both ends from the session's own start and last interaction.
/// </summary>
public sealed record SessionLifetimes(TimeSpan Absolute, TimeSpan Idle)
{
    public static readonly SessionLifetimes Default = new(TimeSpan.FromHours(168), TimeSpan.FromHours(72));

    public static SessionLifetimes From(TenantSettings? tenant)
    {
        var extra = tenant?.Extra;
        return new SessionLifetimes(
            Hours(extra, "session_lifetime") ?? Default.Absolute,
            Hours(extra, "idle_session_lifetime") ?? Default.Idle);
    }

    /// <summary>The session with both ends set for an interaction at <paramref name="now"/> (the absolute end never moves later).</summary>
    public SsoSession Touch(SsoSession session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        var expires = Min(session.ExpiresAt, session.AuthenticatedAt + Absolute);
        return session with { LastInteractionAt = now, ExpiresAt = expires, IdleExpiresAt = Min(expires, now + Idle) };
    }

    /// <summary>Alive at <paramref name="now"/> under today's settings (lowered limits apply at once).</summary>
    public bool IsLive(SsoSession session, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        return now < session.ExpiresAt && now < session.AuthenticatedAt + Absolute
            && now < session.IdleExpiresAt && now < session.LastInteractionAt + Idle;
    }

    private static TimeSpan? Hours(JsonElement? extra, string name) =>
        extra is { ValueKind: JsonValueKind.Object } settings && settings.TryGetProperty(name, out var value)
            && value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var hours) && hours > 0 && hours <= 365 * 24
            ? TimeSpan.FromHours(hours)
            : null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}
