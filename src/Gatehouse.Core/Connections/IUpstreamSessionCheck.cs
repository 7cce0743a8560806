namespace Gatehouse.Core.Connections;

/// <summary>
/// A connection whose provider can say, by redeeming the refresh token Gatehouse keeps for a user, whether the account
/// still may sign in (Azure AD: disabled, deleted, password reset, sessions revoked). The refresh grant asks it at
/// <see cref="RecheckInterval"/>; it never names a strategy (docs/architecture.md, capabilities).
/// </summary>
public interface IUpstreamSessionCheck : IConnection
{
    /// <summary>How long a refresh goes on without asking; zero turns the recheck off.</summary>
    TimeSpan RecheckInterval { get; }

    /// <summary>How long past the interval refresh goes on while the provider cannot be asked.</summary>
    TimeSpan RecheckGrace { get; }

    /// <summary>Redeems <paramref name="upstreamRefreshToken"/> at the provider. Never throws for an outage: that is <see cref="UpstreamSessionAnswer.Unavailable"/>.</summary>
    Task<UpstreamSessionAnswer> RecheckAsync(string upstreamRefreshToken, string correlationId, CancellationToken ct);
}

/// <summary>What the provider said about a user's upstream session.</summary>
public abstract record UpstreamSessionAnswer
{
    private UpstreamSessionAnswer() { }

    /// <summary>The account may go on; the provider's rotated refresh token (null when it kept the old one).</summary>
    public sealed record Alive(string? RotatedRefreshToken) : UpstreamSessionAnswer
    {
        public override string ToString() => "Alive";
    }

    /// <summary>The account or its sessions are gone (disabled, deleted, revoked). <paramref name="Reason"/> names it, e.g. "AADSTS50057 user disabled".</summary>
    public sealed record Gone(string Reason) : UpstreamSessionAnswer;

    /// <summary>The provider could not be asked (outage, 5xx, time-out, throttling): nothing is revoked within the grace.</summary>
    public sealed record Unavailable(string Detail) : UpstreamSessionAnswer;
}
