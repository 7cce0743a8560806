namespace Gatehouse.Connections.Database;

/// <summary>Auth0's password strength levels (none, low, fair, good, excellent) plus an explicit minimum length.</summary>
public static class PasswordPolicy
{
    /// <summary>Null when the password meets the policy; otherwise Auth0's message.</summary>
    public static string? Check(string password, DatabaseConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(options);
        var (minLength, classesNeeded, allClasses) = options.PasswordPolicy switch
        {
            "low" => (6, 0, false),
            "fair" => (8, 3, true),        // lower, upper and digits
            "good" => (8, 3, false),       // 3 of 4: lower, upper, digits, special
            "excellent" => (10, 3, false),
            _ => (1, 0, false),
        };
        minLength = options.MinLength ?? minLength;
        if (password.Length < minLength)
            return "PasswordStrengthError: Password is too weak";
        bool lower = password.Any(char.IsLower), upper = password.Any(char.IsUpper), digit = password.Any(char.IsDigit);
        var special = password.Any(ch => !char.IsLetterOrDigit(ch));
        var classes = (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (special ? 1 : 0);
        if (allClasses ? !(lower && upper && digit) : classes < classesNeeded)
            return "PasswordStrengthError: Password is too weak";
        if (options.PasswordPolicy == "excellent" && HasRunLongerThanTwo(password))
            return "PasswordStrengthError: Password is too weak";
        return null;
    }

    private static bool HasRunLongerThanTwo(string password)
    {
        for (var i = 2; i < password.Length; i++)
        {
            if (password[i] == password[i - 1] && password[i] == password[i - 2])
                return true;
        }
        return false;
    }
}
