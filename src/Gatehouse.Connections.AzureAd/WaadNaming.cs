using System.Text;

namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The dashboard names a Microsoft Azure AD connection after its domain (as Auth0's dashboard does):
/// every character outside [a-z0-9] becomes a hyphen, so contoso.onmicrosoft.com is contoso-onmicrosoft-com. One name per
/// domain means one dashboard-made connection per domain; a second one goes through the Management API.
/// </summary>
public static class WaadNaming
{
    public static string FromDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        var name = new StringBuilder(domain.Length);
        foreach (var ch in domain.Trim().ToLowerInvariant())
        {
            var keep = ch is (>= 'a' and <= 'z') or (>= '0' and <= '9');
            if (keep)
            {
                name.Append(ch);
            }
            else if (name.Length > 0 && name[^1] != '-')
            {
                name.Append('-');
            }
        }

        return name.ToString().TrimEnd('-');
    }
}
