namespace Gatehouse.Server.RateLimiting;

/// <summary>One group's token bucket: <see cref="Limit"/> requests at once (the burst), refilled at <see cref="PerSecond"/>.</summary>
public sealed record BucketPolicy(int Limit, double PerSecond);

/// <summary>
/// <c>RateLimits:Enabled</c> (default true) and per group <c>RateLimits:&lt;Group&gt;:Limit</c> and
/// <c>RateLimits:&lt;Group&gt;:PerSecond</c>. Defaults are looser than Auth0's published limits (Auth0's rate limit policy page)
/// because Gatehouse keys most groups per IP or per client instead of per tenant; docs/security.md says why.
/// </summary>
public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>/oauth/token, /oauth/ro, /oauth/revoke: per client IP (IPv6 per /64).</summary>
    public const string Authentication = "Authentication";

    /// <summary>/userinfo: per user (the token's sub); per IP while the token is not valid.</summary>
    public const string UserInfo = "UserInfo";

    /// <summary>/.well-known/openid-configuration, /.well-known/jwks.json: per IP.</summary>
    public const string Discovery = "Discovery";

    /// <summary>/api/v2/*: per calling client (the token's azp); per IP while the token is not valid.</summary>
    public const string ManagementApi = "ManagementApi";

    /// <summary>POST /dashboard/signin: per client IP (IPv6 per /64), taken before any password is hashed.</summary>
    public const string DashboardSignIn = "DashboardSignIn";

    /// <summary>POST /u/device (the user code typed on /activate): per client IP, against guessing user codes.</summary>
    public const string DeviceActivation = "DeviceActivation";

    public static readonly IReadOnlyDictionary<string, BucketPolicy> Defaults = new Dictionary<string, BucketPolicy>(StringComparer.Ordinal)
    {
        [Authentication] = new(300, 30),
        [UserInfo] = new(20, 1),
        [Discovery] = new(100, 20),
        [ManagementApi] = new(100, 50),
        // Each try costs a 600,000-iteration PBKDF2: 20 at once, then one per 5 seconds per address.
        [DashboardSignIn] = new(20, 0.2),
        // A person types a code or two; 20 at once, then one per 10 seconds per address makes guessing 34.6 bits hopeless.
        [DeviceActivation] = new(20, 0.1),
    };

    public bool Enabled { get; init; } = true;

    public IReadOnlyDictionary<string, BucketPolicy> Groups { get; init; } = Defaults;

    /// <summary>Reads the section; a limit below 1 or a refill rate not above 0 stops the start with the key named.</summary>
    public static RateLimitOptions From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(Section);
        var groups = new Dictionary<string, BucketPolicy>(StringComparer.Ordinal);
        foreach (var (name, fallback) in Defaults)
        {
            var group = section.GetSection(name);
            var limit = group.GetValue("Limit", fallback.Limit);
            var perSecond = group.GetValue("PerSecond", fallback.PerSecond);
            if (limit < 1)
                throw new InvalidOperationException($"{Section}:{name}:Limit must be at least 1.");
            if (!(perSecond > 0) || double.IsInfinity(perSecond))
                throw new InvalidOperationException($"{Section}:{name}:PerSecond must be a number above 0.");
            groups[name] = new BucketPolicy(limit, perSecond);
        }
        return new RateLimitOptions { Enabled = section.GetValue("Enabled", true), Groups = groups };
    }
}
