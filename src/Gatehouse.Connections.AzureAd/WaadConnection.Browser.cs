namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The browser sign-in of a <c>waad</c> connection (docs/waad.md, Browser sign-in): Azure AD's own page through its
/// authorization code flow, then the code redeemed with the connection's credentials and the tokens turned into an
/// identity by the same code as the password grant (<see cref="IdentityAsync"/>), so one Azure user is one user_id
/// whichever way they sign in. The code, tokens and secret go into one request body each and nowhere else.
/// </summary>
internal sealed partial class WaadConnection
{
    /// <summary>Longest code taken from a callback (Azure's are about a kilobyte); a longer one is not sent upstream.</summary>
    private const int MaxCodeLength = 4096;

    /// <summary>Where a misconfigured connection sends the browser on federated logout when the app named no returnTo.</summary>
    private static readonly Uri DefaultLogout = new("https://login.microsoftonline.com/common/oauth2/v2.0/logout");

    public IReadOnlyCollection<string> HomeRealmDomains => options?.HomeRealmDomains ?? [];

    public Task<Uri> BeginAsync(RedirectSignInStart start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(start);
        // Options that no longer parse: straight back to the callback, where CompleteAsync refuses (and the audit log
        // names the problem), rather than to an Azure AD the options cannot describe.
        return Task.FromResult(options is null
            ? new Uri(start.CallbackUri, $"?state={Uri.EscapeDataString(start.State)}&error=invalid_request")
            : AzureBrowserUrls.Authorize(options, start));
    }

    public async Task<RedirectSignInResult> CompleteAsync(IReadOnlyDictionary<string, string> callback, RedirectSignInStart start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(callback);
        ArgumentNullException.ThrowIfNull(start);
        if (options is null)
        {
            return Denied(WaadRefusals.Misconfigured("invalid connection options: " + optionsProblem));
        }

        if (callback.ContainsKey("error"))
        {
            return AzureCallbackErrors.ToDenied(callback, start.Prompt, Definition.Name);
        }

        if (!callback.TryGetValue("code", out var code) || code.Length is 0 or > MaxCodeLength)
        {
            return Denied(WaadRefusals.InvalidToken("authorize: the callback has no usable code"));
        }

        await services.LoginSlots.WaitAsync(ct);
        try
        {
            return await RedeemInSlotAsync(options, code, start, ct);
        }
        finally
        {
            services.LoginSlots.Release();
        }
    }

    public Uri LogoutUri(Uri? returnTo) => options is null ? returnTo ?? DefaultLogout : AzureBrowserUrls.Logout(options, returnTo);

    /// <summary>The redemption, through the circuit of the connection's authority, like a password login.</summary>
    private async Task<RedirectSignInResult> RedeemInSlotAsync(WaadOptions o, string code, RedirectSignInStart start, CancellationToken ct)
    {
        var correlation = UpstreamCorrelationId(start.Context.CorrelationId);
        try
        {
            return await state.Circuit!.ExecuteAsync(
                static (s, ct) => s.Self.RedeemAsync(s.Options, s.Code, s.Start, s.Correlation, ct),
                (Self: this, Options: o, Code: code, Start: start, Correlation: correlation), ct);
        }
        catch (UpstreamCallException e)
        {
            throw new UpstreamUnavailableException(Definition.Name, e.RetryAfter, $"{e.Detail} client_request_id={correlation}", e);
        }
    }

    private async ValueTask<RedirectSignInResult> RedeemAsync(WaadOptions o, string code, RedirectSignInStart start, string correlation, CancellationToken ct)
    {
        try
        {
            var issuer = await services.Metadata.GetIssuerAsync(o, correlation, ct);
            // A Web app registration authenticates with its secret; without one the code is redeemed as a public client.
            var answer = await services.Tokens.AuthorizationCodeAsync(o, secret, code, start.CallbackUri, start.CodeVerifier, correlation, ct);
            if (answer.Error is { } error)
            {
                var cls = AadstsClassifier.Classify(error);
                var detail = $"code redemption: {error.ToDetail()} client_request_id={correlation} client_auth={(secret is null ? "public" : "secret")}"
                    + (secretProblem is null ? "" : " " + secretProblem);
                ThrowIfOutage(cls, error, detail);
                return new RedirectSignInResult.Denied("access_denied", AzureCallbackErrors.Description(cls, detail), detail);
            }

            var rules = state.RulesFor(o, issuer) with { Nonce = start.Nonce };
            return new RedirectSignInResult.Authenticated(await IdentityAsync(o, answer.Tokens!, rules, secret, correlation, ct));
        }
        catch (WaadRefusalException r)
        {
            return Denied(r.Denied with { Detail = $"{r.Denied.Detail} client_request_id={correlation}" });
        }
    }

    private static RedirectSignInResult.Denied Denied(PasswordLoginResult.Denied denied) => new(denied.Error, denied.Description, denied.Detail);
}
