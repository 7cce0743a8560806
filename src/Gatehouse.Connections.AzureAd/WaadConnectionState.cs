namespace Gatehouse.Connections.AzureAd;

/// <summary>How the app registration authenticates, learned from Azure's answers (see docs/waad.md, client secret rule).</summary>
internal enum ClientAuthMode
{
    Unknown,
    Public,
    Confidential,
}

/// <summary>
/// What a connection (id, version) remembers between logins: the circuit of its authority (shared with every
/// connection to the same tenant), the learned client-authentication mode, and its id_token rules for the issuer
/// discovery last named (so a login builds none).
/// </summary>
internal sealed class WaadConnectionState(UpstreamCircuit? circuit)
{
    private int clientAuth;
    private RulesForIssuer? rules;

    /// <summary>Null only when the connection's options are invalid: such a connection never calls upstream.</summary>
    public UpstreamCircuit? Circuit { get; } = circuit;

    public ClientAuthMode ClientAuth
    {
        get => (ClientAuthMode)Volatile.Read(ref clientAuth);
        set => Volatile.Write(ref clientAuth, (int)value);
    }

    public IdTokenRules RulesFor(WaadOptions o, TenantIssuer issuer)
    {
        var cached = Volatile.Read(ref rules);
        if (cached is not null && ReferenceEquals(cached.Issuer, issuer))
        {
            return cached.Rules;
        }

        var built = new RulesForIssuer(issuer, AzureIdTokenChecks.Rules(o, issuer));
        Volatile.Write(ref rules, built);
        return built.Rules;
    }

    private sealed record RulesForIssuer(TenantIssuer Issuer, IdTokenRules Rules);
}
