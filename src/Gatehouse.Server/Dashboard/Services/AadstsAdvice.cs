using System.Text.RegularExpressions;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>
/// What an administrator should fix for an Azure AD refusal, read from the audit detail's <c>aadsts=</c> codes. Shown only
/// in the dashboard: callers of the token endpoint never see upstream codes.
/// </summary>
public static partial class AadstsAdvice
{
    private static readonly Dictionary<int, string> Advice = new()
    {
        [50126] = "Azure AD says the username or password is wrong. Check the user's password in Azure AD.",
        [50034] = "The user does not exist in this tenant. Check the username (the UPN) and the connection's domain.",
        [50053] = "The account is locked by Azure AD smart lockout after too many wrong passwords. Wait, or unlock it in Azure AD.",
        [50055] = "The user's password has expired. The user must change it at the Microsoft sign-in page.",
        [50057] = "The account is disabled in Azure AD (Users > the user > Account enabled).",
        [50076] = "Multi-factor authentication is required, which the password flow cannot do. Exclude this app from the MFA / conditional access policy, or use an interactive flow.",
        [50079] = "The user must register for multi-factor authentication, which the password flow cannot do.",
        [53003] = "A conditional access policy blocked the sign-in. Check the Azure AD sign-in logs for the policy.",
        [50105] = "The user is not assigned to the app. Assign the user (Enterprise applications > Users and groups) or turn off 'Assignment required'.",
        [65001] = "No consent for the Native app's permissions. In App registrations > the Native app > API permissions, grant admin consent.",
        [700016] = "The Client ID is not an application in this tenant. Use the Application (client) ID of the Native registration.",
        [500011] = "The App ID URI was not found in this tenant. Copy the Web app/API registration's Application ID URI exactly (Expose an API).",
        [7000218] = "The app registration is confidential and wants a client secret. Enter its secret, or turn on 'Allow public client flows' for a Native app.",
        [700025] = "The app registration is public and refuses a secret. Gatehouse retries without it; leave the Client Secret empty to skip the retry.",
        [7000215] = "The client secret is wrong. Create a new secret in Certificates & secrets and enter it here.",
        [7000222] = "The client secret has expired. Create a new secret in Certificates & secrets and enter it here.",
        [90002] = "The tenant was not found. Check the Microsoft Azure AD Domain.",
        [900144] = "Azure AD rejected the request shape; check the Identity API setting (v1 needs the App ID URI).",
    };

    [GeneratedRegex(@"aadsts=([0-9,]+)")]
    private static partial Regex CodesPattern();

    /// <summary>The AADSTS codes in an audit detail line, e.g. "http=400 aadsts=50076 ...".</summary>
    public static IReadOnlyList<int> Codes(string? detail) =>
        detail is not null && CodesPattern().Match(detail) is { Success: true } m
            ? m.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList()
            : [];

    /// <summary>The advice for the first code we know, as "AADSTSnnnnn: advice".</summary>
    public static string? For(string? detail) =>
        Codes(detail).Where(Advice.ContainsKey).Select(c => $"AADSTS{c}: {Advice[c]}").FirstOrDefault();
}
