using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gatehouse.Core.Grants;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Dashboard.Services;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Dashboard.Pages.Try;

/// <summary>
/// Where "Try in the browser" comes back (the dashboard Try application's only callback), for the signed-in administrator
/// who started it in this browser. Checks in this order, each refusal changing nothing: the start cookie (taken: one
/// use), its administrator, state (constant time), iss (RFC 9207, mix-up); then an error from the sign-in is shown in
/// plain words, or the code is exchanged in-process and the id_token checked (<see cref="TryInBrowser"/>).
/// </summary>
public sealed class CallbackModel(TryStartCookie cookie, TryInBrowser flow, TenantIssuer issuer, IGatehouseStore store) : DashboardPageModel
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>Why this answer was not used: it is not the one this browser's try is waiting for.</summary>
    public string? Refusal { get; private set; }

    /// <summary>The sign-in's own refusal (error and error_description on the callback), or the code exchange's.</summary>
    public OAuthError? SignInError { get; private set; }

    public string? IdTokenProblem { get; private set; }
    public TryStart? Start { get; private set; }
    public string? LogId { get; private set; }
    public JsonObject? Profile { get; private set; }
    public string? ProfileJson { get; private set; }
    public IReadOnlyList<string> Groups { get; private set; } = [];
    public (string Header, string Payload)? IdToken { get; private set; }
    public (string Header, string Payload)? AccessToken { get; private set; }

    public bool Success => Refusal is null && SignInError is null && IdTokenProblem is null && IdToken is not null;

    public async Task OnGetAsync()
    {
        var ct = HttpContext.RequestAborted;
        Start = cookie.Take(HttpContext);
        if (Start is null)
        {
            Refusal = "No sign-in is waiting in this browser: none was started here, it took longer than 10 minutes, or this answer "
                + $"was already used (each try works once). Start again from Try, on the dashboard at {issuer.Issuer}dashboard/try.";
            return;
        }
        if (Start.AdministratorId != User.FindFirstValue(ClaimTypes.NameIdentifier))
            Refusal = "This sign-in was started by another administrator.";
        else if (Single("state") is not { } state || !Secrets.FixedTimeEquals(state, Start.State))
            Refusal = "The state does not match the sign-in this browser started: the answer is forged, or belongs to another sign-in.";
        else if (Single("iss") != issuer.Issuer)
            Refusal = $"The answer's iss is not this Gatehouse ({issuer.Issuer}): it may come from another server (a mix-up).";
        if (Refusal is not null)
            return;

        if (Single("error") is { } error)
        {
            SignInError = new OAuthError(400, error, Single("error_description") ?? "");
            return;
        }
        if (Single("code") is not { } code)
        {
            Refusal = "The answer carries neither a code nor an error.";
            return;
        }
        var exchange = await flow.ExchangeAsync(HttpContext, Start, code, ct);
        (SignInError, IdTokenProblem, LogId) = (exchange.Error, exchange.IdTokenProblem, exchange.LogId);
        if (exchange.Tokens is not { } tokens)
            return;
        IdToken = JwtDisplay.Decode(tokens.IdToken);
        AccessToken = JwtDisplay.Decode(tokens.AccessToken);
        if (IdTokenProblem is null && SubjectOf(tokens.IdToken) is { } subject && await store.GetUserAsync(subject, ct) is { } user)
        {
            Profile = UserJson.Of(user);
            ProfileJson = Profile.ToJsonString(Indented);
            Groups = Profile["groups"] is JsonArray groups ? groups.Select(g => g?.ToString() ?? "").ToList() : [];
        }
    }

    /// <summary>A query parameter sent once (a repeated one counts as absent).</summary>
    private string? Single(string name) => Request.Query[name] is { Count: 1 } values && values[0] is { Length: > 0 and <= 4096 } value ? value : null;

    private static string? SubjectOf(string? idToken)
    {
        var payload = JwtDisplay.Decode(idToken)?.Payload;
        return payload is null ? null : JsonNode.Parse(payload)?["sub"]?.GetValue<string>();
    }

    public string? ProfileValue(string name) => Profile?[name]?.ToString();

    public string? ProfileConnection => Profile?["identities"] is JsonArray { Count: > 0 } identities ? identities[0]?["connection"]?.ToString() : null;
}
