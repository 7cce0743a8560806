using System.Text.Json;
using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Tests.Conformance;

/// <summary>Record builders with every field filled, unique keys, and times that carry sub-millisecond ticks.</summary>
internal static class TestData
{
    public static readonly DateTimeOffset T0 = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero).AddTicks(1_234_567);

    public static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..12];

    public static JsonElement Json(string text) => JsonSerializer.Deserialize<JsonElement>(text);

    /// <summary>Records hold lists and JsonElements, which compare by reference: compare their JSON instead.</summary>
    public static void AssertSame<T>(T expected, T? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
    }

    public static async Task<StoreException> AssertStoreError(StoreError expected, Func<Task> action)
    {
        var e = await Assert.ThrowsAsync<StoreException>(action);
        Assert.Equal(expected, e.Error);
        return e;
    }

    public static Client Client(string? clientId = null) => new(
        clientId ?? Unique("cl_"), "Mobile app", "native", true, "client_secret_post", "protected:secret",
        ["password", "refresh_token"], false, false,
        Json("""{"callbacks":["https://app.example/cb"],"jwt_configuration":{"alg":"RS256","lifetime_in_seconds":36000}}"""),
        T0, 0);

    public static ResourceServer ResourceServer(string? id = null, string? identifier = null) => new(
        id ?? Unique("rs_"), identifier ?? $"https://{Unique("api")}.example/", "Orders API",
        [new ResourceServerScope("read:orders", "Read orders"), new ResourceServerScope("write:orders", null)],
        "RS256", 86400, 7200, true, true, false, Json("""{"enforce_policies":false}"""), 0);

    public static ClientGrant Grant(string clientId, string audience) =>
        new(Unique("cgr_"), clientId, audience, ["read:orders", "write:orders"], 0);

    public static Connection Connection(string? name = null, string strategy = "auth0") => new(
        Unique("con_"), name ?? Unique("conn-"), strategy,
        Json("""{ "b": 1, "a": [1, 2], "tenant_domain": "contoso.example" }"""),
        ["client-a", "client-b"], ["contoso.example"], "Contoso", false, true, Json("""{"team":"identity"}"""), 0);

    public static User User(string connectionId, string? email = null, string? userId = null) => new(
        userId ?? Unique("auth0|"), connectionId, email, true, null, "+15550100", "Ada Lovelace", "Ada", "Lovelace",
        "ada", "https://pics.example/ada.png", "$argon2id$v=19$hash", null,
        [new UserIdentity("auth0", "6a1f", "Username-Password-Authentication", false, null, null, Json("""{"email":"ada@example.com"}"""))],
        Json("""{"theme":"dark"}"""), Json("""{"roles":["admin"],"plan":{"tier":2}}"""), Json("""{"upn":"ada@contoso.example","groups":["g1","g2"]}"""),
        false, T0, T0.AddMinutes(1), T0.AddMinutes(2), "203.0.113.7", 3, null, 0);

    public static SigningKey Key(string? kid = null) => new(
        kid ?? Unique("kid"), "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n", "protected:pkcs8",
        T0, true, false, null, null, 0);

    public static RefreshToken Token(string familyId, string? tokenHash = null) => new(
        tokenHash ?? Unique("rt_"), familyId, "client-a", "auth0|ada", "https://api.example/", ["openid", "offline_access"],
        "con_1", T0, T0.AddDays(30), null, null, 0) { IssuedIp = "2001:db8::7", OriginGrantType = "http://auth0.com/oauth/grant-type/password-realm" };

    public static LogEvent Log(string logId, DateTimeOffset date, string type, string clientId) => new(
        logId, date, type, "Wrong email or password.", clientId, "Mobile app", "Username-Password-Authentication", "con_1",
        "auth0", "database", "auth0|ada", "Ada@Example.com", "203.0.113.7", "203.0.113.7", "curl/8", "https://api.example/",
        "openid", Json("""{"error":{"message":"invalid_grant"}}"""));
}
