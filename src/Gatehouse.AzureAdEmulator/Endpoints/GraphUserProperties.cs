using System.Text.Json;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Microsoft Graph user properties: the default set of GET /me and the extra ones $select can ask for.</summary>
internal static class GraphUserProperties
{
    public static readonly string[] Default =
        ["businessPhones", "displayName", "givenName", "jobTitle", "mail", "mobilePhone", "officeLocation", "preferredLanguage", "surname", "userPrincipalName", "id"];

    private static readonly Dictionary<string, Action<Utf8JsonWriter, SeedUser>> Writers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["id"] = (w, u) => w.WriteString("id", u.Id.ToLowerInvariant()),
        ["businessPhones"] = (w, u) => Strings(w, "businessPhones", u.BusinessPhones),
        ["displayName"] = (w, u) => w.WriteString("displayName", u.DisplayName),
        ["givenName"] = (w, u) => w.WriteString("givenName", u.GivenName),
        ["jobTitle"] = (w, u) => w.WriteString("jobTitle", u.JobTitle),
        ["mail"] = (w, u) => w.WriteString("mail", u.Mail),
        ["mobilePhone"] = (w, u) => w.WriteString("mobilePhone", u.MobilePhone),
        ["officeLocation"] = (w, u) => w.WriteString("officeLocation", u.OfficeLocation),
        ["preferredLanguage"] = (w, u) => w.WriteString("preferredLanguage", u.PreferredLanguage),
        ["surname"] = (w, u) => w.WriteString("surname", u.Surname),
        ["userPrincipalName"] = (w, u) => w.WriteString("userPrincipalName", u.UserPrincipalName),
        ["accountEnabled"] = (w, u) => w.WriteBoolean("accountEnabled", u.AccountEnabled),
        ["city"] = (w, u) => w.WriteString("city", u.City),
        ["companyName"] = (w, u) => w.WriteString("companyName", u.CompanyName),
        ["country"] = (w, u) => w.WriteString("country", u.Country),
        ["department"] = (w, u) => w.WriteString("department", u.Department),
        ["employeeId"] = (w, u) => w.WriteString("employeeId", u.EmployeeId),
        ["mailNickname"] = (w, u) => w.WriteString("mailNickname", u.MailNickname),
        ["onPremisesSamAccountName"] = (w, u) => w.WriteString("onPremisesSamAccountName", u.Federated ? u.UserPrincipalName.Split('@')[0] : null),
        ["otherMails"] = (w, _) => Strings(w, "otherMails", []),
        ["postalCode"] = (w, u) => w.WriteString("postalCode", u.PostalCode),
        ["state"] = (w, u) => w.WriteString("state", u.State),
        ["streetAddress"] = (w, u) => w.WriteString("streetAddress", u.StreetAddress),
        ["usageLocation"] = (w, u) => w.WriteString("usageLocation", u.UsageLocation),
        ["userType"] = (w, u) => w.WriteString("userType", u.UserType),
    };

    /// <summary>The properties to write, or the first unknown name in $select.</summary>
    public static (string[] Properties, string? Unknown) Select(string? select)
    {
        if (string.IsNullOrWhiteSpace(select)) return (Default, null);
        var names = select.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.FirstOrDefault(n => !Writers.ContainsKey(n));
        return (names, unknown);
    }

    public static void Write(Utf8JsonWriter w, SeedUser user, IEnumerable<string> properties)
    {
        foreach (var p in properties) Writers[p](w, user);
    }

    private static void Strings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
