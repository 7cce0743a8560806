using Gatehouse.Core.Users;

namespace Gatehouse.Core.Grants;

/// <summary>
/// Bounds on the parameters of a token, ro or revoke request, checked before anything is looked up or sent upstream:
/// a value no real client sends is a 400 <c>invalid_request</c> naming the parameter, never a store query with it,
/// a 500 from a database that refuses NUL, or a password grant at Azure AD. Checked once per request, by the Core
/// service that runs it (<see cref="TokenPipeline"/>, <see cref="RevocationService"/>), so every door (the HTTP
/// endpoints, the dashboard's Try) gets the same bounds; the HTTP reader only parses.
/// </summary>
public static class TokenRequestLimits
{
    /// <summary>More parameters than any grant uses with all its options.</summary>
    public const int MaxParameters = 32;

    public const int MaxNameLength = 64;

    /// <summary>The cap of any parameter without its own below.</summary>
    public const int MaxValueLength = 4096;

    /// <summary>Per-parameter caps: each well above what a real value can be.</summary>
    public static readonly IReadOnlyDictionary<string, int> Caps = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["grant_type"] = 128,
        ["username"] = IdentifierNormalizer.MaxLength,
        ["password"] = 1024,
        ["client_id"] = 128,
        ["client_secret"] = 512,
        ["realm"] = 128,
        ["connection"] = 128,
        ["audience"] = 600, // the Management API's cap on an API identifier
        ["scope"] = 4096,
        ["refresh_token"] = 512,
        ["token"] = 512,
    };

    /// <summary>
    /// Identifiers: besides the cap, control, invisible and non-Unicode characters are refused
    /// (<see cref="IdentifierNormalizer.CharacterProblem"/>). Secrets and free text only may not hold NUL.
    /// </summary>
    private static readonly HashSet<string> Identifiers = new(StringComparer.Ordinal)
    {
        "grant_type", "username", "client_id", "realm", "connection", "audience", "scope", "refresh_token", "token",
    };

    /// <summary>The first problem of the request's parameters or Basic credentials, or null when all are within bounds.</summary>
    public static OAuthError? Check(TokenRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Check(request.Parameters) ?? (request.Basic is { } basic
            ? Check(new Dictionary<string, string>(StringComparer.Ordinal) { ["client_id"] = basic.ClientId, ["client_secret"] = basic.ClientSecret })
            : null);
    }

    /// <summary>The first problem of <paramref name="parameters"/>, or null when every parameter is within bounds.</summary>
    public static OAuthError? Check(IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (parameters.Count > MaxParameters)
            return OAuthError.InvalidRequest($"The request has more than {MaxParameters} parameters.");
        foreach (var (name, value) in parameters)
        {
            if (name.Length > MaxNameLength || IdentifierNormalizer.CharacterProblem(name) is not null)
                return OAuthError.InvalidRequest("The request has a parameter whose name is not allowed.");
            var cap = Caps.TryGetValue(name, out var own) ? own : MaxValueLength;
            if (value.Length > cap)
                return OAuthError.InvalidRequest($"Parameter '{name}' is longer than {cap} characters.");
            var problem = Identifiers.Contains(name) ? IdentifierNormalizer.CharacterProblem(value)
                : value.Contains('\0', StringComparison.Ordinal) ? "contains a NUL character" : null;
            if (problem is not null)
                return OAuthError.InvalidRequest($"Parameter '{name}' {problem}.");
        }
        return null;
    }
}
