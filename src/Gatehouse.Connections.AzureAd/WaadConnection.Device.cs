namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The device code flow through the broker (docs/device-flow.md): with <c>gatehouse_device_code_via_azure</c>, Azure AD's
/// own device code flow with the connection's app registration as a public client. The user signs in on Azure's page
/// (its MFA and Conditional Access apply there); each poll Gatehouse makes is one token request, and the tokens it
/// finally gets go through the same id_token checks and profile as every other sign-in of the connection.
/// </summary>
internal sealed partial class WaadConnection : IDeviceCodeConnection
{
    public bool DeviceCodeAtProvider => options?.DeviceCodeViaAzure == true;

    public async Task<UpstreamDeviceStart> StartDeviceCodeAsync(LoginContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options is null)
        {
            var misconfigured = WaadRefusals.Misconfigured("invalid connection options: " + optionsProblem);
            return new UpstreamDeviceStart.Denied(misconfigured.Error, misconfigured.Description, misconfigured.Detail);
        }

        var correlation = UpstreamCorrelationId(context.CorrelationId);
        try
        {
            return await state.Circuit!.ExecuteAsync(
                static (s, ct) => s.Self.StartAtAzureAsync(s.Options, s.Correlation, ct),
                (Self: this, Options: options, Correlation: correlation), ct);
        }
        catch (UpstreamCallException e)
        {
            throw new UpstreamUnavailableException(Definition.Name, e.RetryAfter, $"{e.Detail} client_request_id={correlation}", e);
        }
    }

    public async Task<UpstreamDevicePoll> PollDeviceCodeAsync(string deviceCode, LoginContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (options is null)
        {
            var misconfigured = WaadRefusals.Misconfigured("invalid connection options: " + optionsProblem);
            return new UpstreamDevicePoll.Denied(misconfigured.Error, misconfigured.Description, misconfigured.Detail);
        }

        var correlation = UpstreamCorrelationId(context.CorrelationId);
        await services.LoginSlots.WaitAsync(ct);
        try
        {
            return await state.Circuit!.ExecuteAsync(
                static (s, ct) => s.Self.PollAzureAsync(s.Options, s.DeviceCode, s.Correlation, ct),
                (Self: this, Options: options, DeviceCode: deviceCode, Correlation: correlation), ct);
        }
        catch (UpstreamCallException e)
        {
            throw new UpstreamUnavailableException(Definition.Name, e.RetryAfter, $"{e.Detail} client_request_id={correlation}", e);
        }
        finally
        {
            services.LoginSlots.Release();
        }
    }

    private async ValueTask<UpstreamDeviceStart> StartAtAzureAsync(WaadOptions o, string correlation, CancellationToken ct)
    {
        var (code, error) = await services.Tokens.DeviceCodeAsync(o, correlation, ct);
        if (error is not null)
        {
            var cls = AadstsClassifier.Classify(error);
            var detail = $"device code: {error.ToDetail()} client_request_id={correlation}";
            ThrowIfOutage(cls, error, detail);
            return new UpstreamDeviceStart.Denied("access_denied", AzureCallbackErrors.Description(cls, detail), detail);
        }

        return new UpstreamDeviceStart.Started(code!.DeviceCode, code.UserCode, code.VerificationUri, code.ExpiresIn, code.Interval);
    }

    /// <summary>Azure's polling answers (interactive-flows.md §6.3) in the broker's terms; tokens checked as on every path.</summary>
    private async ValueTask<UpstreamDevicePoll> PollAzureAsync(WaadOptions o, string deviceCode, string correlation, CancellationToken ct)
    {
        try
        {
            var issuer = await services.Metadata.GetIssuerAsync(o, correlation, ct);
            var answer = await services.Tokens.DeviceCodePollAsync(o, deviceCode, correlation, ct);
            if (answer.Error is { } error)
            {
                var detail = $"device code poll: {error.ToDetail()} client_request_id={correlation}";
                switch (error.Error)
                {
                    case "authorization_pending":
                        return new UpstreamDevicePoll.Pending();
                    case "slow_down":
                        return new UpstreamDevicePoll.SlowDown();
                    case "expired_token" or "code_expired":
                        return new UpstreamDevicePoll.Expired();
                    case "authorization_declined":
                        return new UpstreamDevicePoll.Declined(detail);
                }

                var cls = AadstsClassifier.Classify(error);
                ThrowIfOutage(cls, error, detail);
                return new UpstreamDevicePoll.Denied("access_denied", AzureCallbackErrors.Description(cls, detail), detail);
            }

            return new UpstreamDevicePoll.Authenticated(await IdentityAsync(o, answer.Tokens!, state.RulesFor(o, issuer), null, correlation, ct));
        }
        catch (WaadRefusalException r)
        {
            return new UpstreamDevicePoll.Denied(r.Denied.Error, r.Denied.Description, $"{r.Denied.Detail} client_request_id={correlation}");
        }
    }
}
