namespace Gatehouse.Core.Tokens;

/// <summary>
/// Shorter lifetimes for what the password grants issue (RFC 6749 §10.7), applied to the login and to every refresh
/// of its family: <see cref="TokenOptions.PasswordGrantAccessTokenLifetimeSeconds"/> and
/// <see cref="TokenOptions.PasswordGrantRefreshTokenLifetimeSeconds"/>, 0 meaning no cap.
/// </summary>
public static class PasswordGrantLifetimes
{
    public static int AccessToken(int lifetimeSeconds, TokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PasswordGrantAccessTokenLifetimeSeconds > 0 ? Math.Min(lifetimeSeconds, options.PasswordGrantAccessTokenLifetimeSeconds) : lifetimeSeconds;
    }

    /// <summary>A new family's absolute lifetime, or null for the default.</summary>
    public static int? RefreshToken(TokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.PasswordGrantRefreshTokenLifetimeSeconds > 0
            ? Math.Min(options.RefreshTokenLifetimeSeconds, options.PasswordGrantRefreshTokenLifetimeSeconds)
            : null;
    }
}
