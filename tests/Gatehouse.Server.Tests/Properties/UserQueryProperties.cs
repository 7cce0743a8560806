using System.Net.Http.Json;
using System.Text.Json;
using FsCheck.Xunit;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Management;
using Gatehouse.Server.Tests.Hostile;

namespace Gatehouse.Server.Tests.Properties;

/// <summary>The users search (<c>q</c>, Auth0's Lucene subset): any text is a filter or a 400, and a search finds what a login would.</summary>
[Collection(DemoTenantCollection.Name)]
public class UserQueryProperties(DemoTenant tenant)
{
    [Property(MaxTest = 3000)]
    public bool Any_query_is_a_filter_or_a_400(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var q = HostileText.Text(random, 16);
        try
        {
            UserSearch.Parse(q, logSearch: random.Next(2) == 0);
            return true;
        }
        catch (ManagementException e)
        {
            return e.Status == 400 && e.ErrorCode == "invalid_query_string";
        }
    }

    [Property(MaxTest = 500)]
    public bool Quoted_and_prefix_terms_parse_to_the_value_given(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        const string alphabet = "abcxyz019@.-_+äéａ";
        var value = new string([.. Enumerable.Range(0, random.Next(1, 16)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        return UserSearch.Parse($"email:\"{value}\"") is Filter.Match { Field: "email", Kind: MatchKind.Exact } exact && exact.Value == value
            && UserSearch.Parse($"email:{value}*") is Filter.Match { Kind: MatchKind.Prefix } prefix && prefix.Value == value
            && UserSearch.Parse($"NOT email:{value}") is Filter.Not { Inner: Filter.Match { Kind: MatchKind.Exact } negated } && negated.Value == value;
    }

    [Property(MaxTest = 100)]
    public bool Any_query_over_http_is_200_or_400(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var q = HostileText.Text(random, 10).Replace("\uD800", "", StringComparison.Ordinal).Replace("\uDC00", "", StringComparison.Ordinal).Replace("\0", "", StringComparison.Ordinal);
        using var management = tenant.Server.CreateManagementClientAsync().GetAwaiter().GetResult();
        var response = management.GetAsync($"users?search_engine=v3&q={Uri.EscapeDataString(q)}").GetAwaiter().GetResult();
        Assert.True((int)response.StatusCode is 200 or 400, $"q={q} → {(int)response.StatusCode} {response.Content.ReadAsStringAsync().GetAwaiter().GetResult()}");
        return true;
    }

    [Property(MaxTest = 25)]
    public bool Email_search_finds_exactly_the_user_with_that_email_in_any_spelling(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        const string alphabet = "abcdefxyz0189.-_";
        var local = "q" + new string([.. Enumerable.Range(0, random.Next(3, 12)).Select(_ => alphabet[random.Next(alphabet.Length)])]);
        var email = $"{local}@search.example";
        using var management = tenant.Server.CreateManagementClientAsync().GetAwaiter().GetResult();
        var created = management.PostAsJsonAsync("users", new { connection = DemoTenant.Realm, email, password = "Search-Passw0rd!" }).GetAwaiter().GetResult();
        Assert.True((int)created.StatusCode is 201 or 409);
        // Upper case, and fullwidth for every ASCII letter and digit: the same identifier key.
        var spelling = random.Next(2) == 0 ? email.ToUpperInvariant() : new string([.. email.Select(c => char.IsAsciiLetterOrDigit(c) ? (char)(c + 0xFEE0) : c)]);
        var found = management.GetFromJsonAsync<JsonElement>($"users?search_engine=v3&q={Uri.EscapeDataString($"email:\"{spelling}\"")}").GetAwaiter().GetResult();
        return found.GetArrayLength() == 1 && found[0].GetProperty("email").GetString() == email;
    }
}
