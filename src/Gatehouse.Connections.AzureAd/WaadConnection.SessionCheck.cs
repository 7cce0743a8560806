using Gatehouse.Connections.Upstream;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The recheck of a user's Azure AD session (docs/waad.md, "Refresh tokens Azure AD can revoke"): the refresh token
/// Azure issued at sign-in, redeemed at Azure's token endpoint. Azure's answers meaning "account or session gone"
/// (interactive-flows reference §7.1) revoke; an outage or an answer that says nothing about the account does not.
/// </summary>
internal sealed partial class WaadConnection
{
    /// <summary>AADSTS codes of a refresh that mean the user or the session is gone, and what the log calls them.</summary>
    private static readonly Dictionary<int, string> GoneCodes = new()
    {
        [50057] = "AADSTS50057 the account is disabled",
        [50034] = "AADSTS50034 the account no longer exists",
        [50173] = "AADSTS50173 the grant was revoked (password changed or reset, or sessions revoked)",
        [50133] = "AADSTS50133 the session was revoked",
        [50132] = "AADSTS50132 the session was revoked",
        [70043] = "AADSTS70043 the refresh token expired under a Conditional Access sign-in frequency",
        [700082] = "AADSTS700082 the refresh token expired through inactivity",
        [70008] = "AADSTS70008 the refresh token expired or was revoked",
        [700084] = "AADSTS700084 the refresh token passed its fixed lifetime",
        [70000] = "AADSTS70000 the refresh token is not valid",
    };

    public TimeSpan RecheckInterval => options?.UpstreamRecheck ?? TimeSpan.Zero;

    public TimeSpan RecheckGrace => options?.UpstreamRecheckGrace ?? TimeSpan.Zero;

    public async Task<UpstreamSessionAnswer> RecheckAsync(string upstreamRefreshToken, string correlationId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upstreamRefreshToken);
        if (options is null)
        {
            return new UpstreamSessionAnswer.Unavailable("invalid connection options: " + optionsProblem);
        }

        var correlation = UpstreamCorrelationId(correlationId);
        TokenAnswer answer;
        try
        {
            answer = await services.Tokens.SessionRefreshAsync(
                options, secret is not null && state.ClientAuth != ClientAuthMode.Public ? secret : null, upstreamRefreshToken, correlation, ct);
        }
        catch (UpstreamCallException e)
        {
            return new UpstreamSessionAnswer.Unavailable(e.Detail);
        }

        return answer.Error is { } error ? Classify(error) : new UpstreamSessionAnswer.Alive(answer.Tokens!.RefreshToken);
    }

    private static UpstreamSessionAnswer Classify(AadError error)
    {
        if (error.PrimaryCode is { } code && GoneCodes.TryGetValue(code, out var gone))
        {
            return new UpstreamSessionAnswer.Gone(gone);
        }

        if (error.SubError is "bad_token" or "token_expired")
        {
            return new UpstreamSessionAnswer.Gone($"the refresh token is no longer valid ({error.ToDetail()})");
        }

        return AadstsClassifier.Classify(error) switch
        {
            // Azure wants an interactive step (MFA, Conditional Access) but kept the account and its sessions.
            AadstsClass.MfaRequired or AadstsClass.ConditionalAccess or AadstsClass.InteractionRequired => new UpstreamSessionAnswer.Alive(null),
            // Outages and answers that say nothing about the user (a misconfiguration) are forgiven within the grace.
            _ => new UpstreamSessionAnswer.Unavailable(error.ToDetail()),
        };
    }
}
