using System.Security.Cryptography;
using System.Text.Json;
using Gatehouse.Core.Connections;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// Checks a waad connection against Azure AD without any real user: the tenant's OpenID metadata, then a password grant
/// for a user that cannot exist. Azure AD checks the tenant, the client (registration, public or confidential, secret)
/// and the resource (App ID URI) before it looks up the user, so "user not found" (AADSTS50034) proves the app registrations;
/// an earlier error names the registration at fault. An unknown user never counts towards anyone's lockout. Consent is
/// only reported for a real user's sign-in (AADSTS65001), so it is left to Try.
/// </summary>
internal sealed class WaadPreflight(UpstreamHttpClient http, WaadServices services, WaadServerDefaults defaults, ISecretProtector secrets)
{
    public async Task<PreflightReport> RunAsync(Connection definition, CancellationToken ct)
    {
        var checks = new List<PreflightCheck>();
        var parsed = WaadOptionsParser.Parse(definition.Options, defaults);
        if (parsed.Options is not { } o)
        {
            checks.Add(new("Options", PreflightStatus.Failed, string.Join("; ", parsed.Errors)));
            return new PreflightReport(checks);
        }
        checks.Add(new("Options", PreflightStatus.Ok, $"tenant {o.TenantPath}, client_id {o.ClientId}, app_id {o.AppId ?? "(none: Microsoft Graph)"}, identity API {(o.IdentityApi == WaadIdentityApi.V1 ? "v1.0" : "v2.0")}"));

        var correlation = Guid.NewGuid().ToString();
        var discovery = await DiscoveryAsync(o, correlation, ct);
        checks.Add(discovery);
        if (discovery.Status == PreflightStatus.Failed)
            return new PreflightReport(checks);

        checks.AddRange(await ProbeAsync(o, correlation, ct));
        checks.Add(GraphCheck(o));
        checks.Add(new("Consent", PreflightStatus.Info,
            "Azure AD reports missing consent (AADSTS65001) only when a real user signs in: use Try with a test user. "
            + "If it appears, grant admin consent for the Native app's API permissions."));
        return new PreflightReport(checks);
    }

    private async Task<PreflightCheck> DiscoveryAsync(WaadOptions o, string correlation, CancellationToken ct)
    {
        var url = AzureTenantMetadata.DiscoveryUrl(o);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.TryAddWithoutValidation("client-request-id", correlation);
        try
        {
            var response = await http.SendAsync(request, o.TokenTimeout, "tenant discovery", ct);
            if (response.Status != 200)
                return new("Tenant reachable", PreflightStatus.Failed, $"{url} answered {AadError.Parse(response.Status, response.Body, null).ToDetail()}: check the domain.");
            using var doc = JsonDocument.Parse(response.Body);
            var issuer = doc.RootElement.TryGetProperty("issuer", out var i) ? i.GetString() : null;
            return new("Tenant reachable", PreflightStatus.Ok, $"OpenID metadata at {url}; issuer {issuer}");
        }
        catch (UpstreamCallException e)
        {
            return new("Tenant reachable", PreflightStatus.Failed, e.Detail);
        }
        catch (JsonException)
        {
            return new("Tenant reachable", PreflightStatus.Failed, $"{url} did not answer OpenID metadata (not JSON).");
        }
    }

    private async Task<IReadOnlyList<PreflightCheck>> ProbeAsync(WaadOptions o, string correlation, CancellationToken ct)
    {
        string? secret = null;
        if (o.ClientSecretProtected is { } protectedSecret)
        {
            try
            {
                secret = secrets.Unprotect(protectedSecret, IConnectionStrategy.SecretPurpose("client_secret"));
            }
            catch (CryptographicException)
            {
                return [new("Client secret", PreflightStatus.Failed, "the stored client_secret cannot be decrypted (master key changed?): enter it again")];
            }
        }
        var domain = o.UseCommonEndpoint || Guid.TryParse(o.TenantPath, out _) ? "invalid" : o.TenantPath;
        var probeUser = $"gatehouse-preflight-{Secrets.RandomHex(6)}@{domain}";
        TokenAnswer answer;
        try
        {
            answer = await services.Tokens.PasswordAsync(o, secret, probeUser, Secrets.RandomToken(24), correlation, ct);
            if (answer.Error is { } first && AadstsClassifier.Classify(first) == AadstsClass.PublicClientSentSecret && secret is not null)
                answer = await services.Tokens.PasswordAsync(o, null, probeUser, Secrets.RandomToken(24), correlation, ct);
        }
        catch (UpstreamCallException e)
        {
            return [new("Token endpoint", PreflightStatus.Failed, e.Detail)];
        }
        if (answer.Error is not { } error)
            return [new("App registrations", PreflightStatus.Warning, "Azure AD signed in a made-up user: this is not Azure AD.")];

        var detail = error.ToDetail();
        var registered = new PreflightCheck("Native app registration (client_id)", PreflightStatus.Ok, $"{o.ClientId} is known to the tenant and its client authentication is accepted");
        var resource = new PreflightCheck("Web app/API registration (app_id)", PreflightStatus.Ok, $"{o.AppId ?? "Microsoft Graph"} is known to the tenant");
        return error.PrimaryCode switch
        {
            50034 or 50126 => [registered, resource, new("Probe sign-in", PreflightStatus.Ok, $"a made-up user was refused as expected ({detail})")],
            700016 => [new("Native app registration (client_id)", PreflightStatus.Failed, $"{o.ClientId} is not an application in this tenant: use the Native registration's Application (client) ID ({detail})")],
            7000218 => [new("Native app registration (client_id)", PreflightStatus.Failed, $"the registration is confidential and wants a client secret: enter it, or allow public client flows on the Native app ({detail})")],
            7000215 or 7000222 => [new("Client secret", PreflightStatus.Failed, $"the client secret is wrong or expired: create a new one ({detail})")],
            500011 => [registered, new("Web app/API registration (app_id)", PreflightStatus.Failed, $"{o.AppId} is not a resource in this tenant: copy the Web app/API's Application ID URI exactly ({detail})")],
            90002 => [new("Tenant", PreflightStatus.Failed, $"Azure AD does not know tenant {o.TenantPath} ({detail})")],
            _ => [new("Probe sign-in", PreflightStatus.Warning, $"Azure AD answered {detail}")],
        };
    }

    private static PreflightCheck GraphCheck(WaadOptions o)
    {
        if (!o.ExtGroups && !o.ExtProfile)
            return new("Groups and extended profile", PreflightStatus.Info, "off (ext_groups and ext_profile are false)");
        var flavor = GraphClient.FlavorOf(o.AppId, o.IdentityApi);
        return flavor == GraphFlavor.None && !o.GraphViaRefreshToken
            ? new("Groups and extended profile", PreflightStatus.Warning,
                $"app_id {o.AppId} is a Web API: its access token cannot read Graph, so users get no groups or extended profile. Use https://graph.microsoft.com.")
            : new("Groups and extended profile", PreflightStatus.Ok, $"read from {(flavor == GraphFlavor.AadGraph ? "Azure AD Graph" : "Microsoft Graph")}");
    }
}
