using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests.Hostile;

/// <summary>
/// Usernames no directory holds are refused before anything is looked up or sent to Azure AD; spellings of one
/// identifier that differ only in case or compatibility form are one user, never two.
/// </summary>
[Collection(DemoTenantCollection.Name)]
public class UnicodeUsernameTests(DemoTenant tenant)
{
    public static TheoryData<string> Forbidden => new()
    {
        "alice@demo.gatehouse.local\0",
        "ali\0ce@demo.gatehouse.local",
        "alice\t@demo.gatehouse.local",
        "alice\r\n@demo.gatehouse.local",
        "ali\u200Bce@demo.gatehouse.local", // zero-width space
        "ali\u200Dce@demo.gatehouse.local", // zero-width joiner
        "\u202Elacol.esuohetag.omed@ecila", // right-to-left override
        "ali\u00ADce@demo.gatehouse.local", // soft hyphen
        "\uFEFFalice@demo.gatehouse.local", // byte order mark
        "alice\uFFFD@demo.gatehouse.local", // what undecodable bytes become
        new string('a', 257) + "@demo.gatehouse.local",
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public async Task Forbidden_usernames_are_400_before_any_lookup_or_upstream_call(string username)
    {
        foreach (var realm in new[] { DemoTenant.Realm, DemoTenant.WaadRealm })
        {
            tenant.Emulator.SignInLog.Clear();
            var before = await tenant.SnapshotAsync();
            var logs = await tenant.LogCountAsync();

            var body = await HttpAssert.OAuthErrorAsync(await tenant.PasswordRealmAsync(realm, username, "whatever-Passw0rd!"), 400, "invalid_request");

            Assert.StartsWith("Parameter 'username' ", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
            Assert.Empty(tenant.Emulator.SignInLog.Entries);
            Assert.Equal(logs, await tenant.LogCountAsync()); // refused while parsing: not even a failed-login event
            Assert.Equal(before, await tenant.SnapshotAsync());
        }
    }

    [Fact]
    public async Task A_lone_surrogate_in_a_json_body_is_400_not_500()
    {
        var json = $"{{\"grant_type\":\"{DemoTenant.PasswordRealmGrant}\",\"client_id\":\"{tenant.NativeClientId}\",\"realm\":\"{DemoTenant.WaadRealm}\",\"username\":\"adele\\ud800@contoso.com\",\"password\":\"x\"}}";
        tenant.Emulator.SignInLog.Clear();
        var body = await HttpAssert.OAuthErrorAsync(await tenant.PostRawAsync("oauth/token", json, "application/json"), 400, "invalid_request");
        Assert.Contains("username", body.GetProperty("error_description").GetString(), StringComparison.Ordinal);
        Assert.Empty(tenant.Emulator.SignInLog.Entries);
    }

    [Fact]
    public async Task Percent_encoded_bytes_that_are_not_utf8_are_400()
    {
        var form = $"grant_type=password&client_id={tenant.NativeClientId}&username=alice%FF%FE%40demo.gatehouse.local&password=x";
        await HttpAssert.OAuthErrorAsync(await tenant.PostRawAsync("oauth/token", form, "application/x-www-form-urlencoded"), 400, "invalid_request");
    }

    [Theory]
    [InlineData("ALICE@DEMO.GATEHOUSE.LOCAL")]
    [InlineData("ａｌｉｃｅ@demo.gatehouse.local")] // fullwidth letters
    [InlineData("ＡＬＩＣＥ＠ＤＥＭＯ．gatehouse．local")] // fullwidth capitals, @ and dots
    public async Task Case_and_compatibility_variants_log_in_as_the_same_database_user(string spelling)
    {
        var canonical = await SubjectAsync(await tenant.PasswordRealmAsync(DemoTenant.Realm, DemoTenant.Alice.Email, DemoTenant.Alice.Password));
        var count = (await tenant.UsersAsync()).Count;

        Assert.Equal(canonical, await SubjectAsync(await tenant.PasswordRealmAsync(DemoTenant.Realm, spelling, DemoTenant.Alice.Password)));
        Assert.Equal(count, (await tenant.UsersAsync()).Count);
    }

    [Theory]
    [InlineData("ALICE@demo.gatehouse.local")]
    [InlineData("ａｌｉｃｅ@demo.gatehouse.local")]
    [InlineData("alice@demo.gatehouse.ｌｏｃａｌ")]
    public async Task A_variant_spelling_cannot_create_a_second_database_user(string spelling)
    {
        using var management = await tenant.Server.CreateManagementClientAsync();
        var before = await tenant.SnapshotAsync();
        var response = await management.PostAsJsonAsync("users", new { connection = DemoTenant.Realm, email = spelling, password = "An0ther-Passw0rd!" });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal(before, await tenant.SnapshotAsync());
    }

    [Fact]
    public async Task Searching_by_a_variant_email_finds_the_user_a_login_would()
    {
        using var management = await tenant.Server.CreateManagementClientAsync();
        var found = await management.GetFromJsonAsync<JsonElement>($"users?q={Uri.EscapeDataString("email:\"ａｌｉｃｅ@demo.gatehouse.local\"")}&search_engine=v3");
        Assert.Equal(DemoTenant.Alice.Email, Assert.Single(found.EnumerateArray()).GetProperty("email").GetString());
        var byEmail = await management.GetFromJsonAsync<JsonElement>($"users-by-email?email={Uri.EscapeDataString("ALICE@demo.gatehouse.local")}");
        Assert.Single(byEmail.EnumerateArray());
    }

    [Fact]
    public async Task Case_variants_of_an_azure_ad_user_are_one_provisioned_user()
    {
        var password = DemoDirectory.PasswordOf(DemoDirectory.Adele);
        var first = await SubjectAsync(await tenant.PasswordRealmAsync(DemoTenant.WaadRealm, DemoDirectory.Adele, password));
        var count = (await tenant.UsersAsync()).Count;
        Assert.Equal(first, await SubjectAsync(await tenant.PasswordRealmAsync(DemoTenant.WaadRealm, DemoDirectory.Adele.ToUpperInvariant(), password)));
        Assert.Equal(count, (await tenant.UsersAsync()).Count);
    }

    private static async Task<string> SubjectAsync(HttpResponseMessage response)
    {
        var idToken = (await HttpAssert.OkJsonAsync(response)).GetProperty("id_token").GetString()!;
        var payload = idToken.Split('.')[1];
        var json = Convert.FromBase64String(payload.Replace('-', '+').Replace('_', '/').PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '='));
        return JsonDocument.Parse(json).RootElement.GetProperty("sub").GetString()!;
    }
}
