using Gatehouse.Core.Admin;
using Gatehouse.Core.Storage;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

public sealed class ResourceServerAdminTests : IDisposable
{
    private static readonly AdminActor Administrator = AdminActor.Administrator("adm_1", "admin@example.com");
    private readonly TestWorld _world = new();
    private readonly ResourceServerAdmin _admin;

    public ResourceServerAdminTests() => _admin = new ResourceServerAdmin(_world.Store, new AdminAudit(_world.Audit));

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task Only_rs256_is_accepted()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(Administrator, new ResourceServerDraft("https://a.test/") { SigningAlg = "HS256" }, default));

        Assert.Equal("Payload validation error: 'Only RS256 is supported' on property signing_alg.", refused.Message);
        Assert.Null(await _world.Store.GetResourceServerByIdentifierAsync("https://a.test/", default));
        Assert.Empty(_world.Writes());
    }

    [Fact]
    public async Task Scope_values_must_be_non_empty_without_spaces_and_distinct()
    {
        var spaced = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(Administrator,
            new ResourceServerDraft("https://a.test/") { Scopes = [new("read:a", null), new("read b", null)] }, default));
        Assert.Equal("Payload validation error: 'value must be a non-empty string of at most 280 characters without spaces' on property scopes[1].value.", spaced.Message);
        Assert.Equal("scopes[1].value", Assert.Single(spaced.Problems).Field);

        var duplicate = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(Administrator,
            new ResourceServerDraft("https://a.test/") { Scopes = [new("read:a", null), new("read:a", "again")] }, default));
        Assert.Equal("Payload validation error: 'Duplicate scope read:a' on property scopes.", duplicate.Message);
    }

    [Fact]
    public async Task The_same_identifier_twice_is_a_conflict()
    {
        await _admin.CreateAsync(Administrator, new ResourceServerDraft("https://a.test/"), default);

        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(Administrator, new ResourceServerDraft("https://a.test/"), default));

        Assert.Equal((AdminRefusal.Conflict, "A resource server with the same identifier already exists"), (refused.Refusal, refused.Message));
    }

    [Fact]
    public async Task The_system_api_changes_only_through_a_system_actor()
    {
        var system = await _admin.CreateSystemAsync(AdminActor.System("bootstrap"), SystemApi(), default);

        var update = await Assert.ThrowsAsync<AdminException>(() => _admin.UpdateAsync(Administrator, system, new ResourceServerChanges { Name = "Mine" }, default));
        Assert.Equal((AdminRefusal.Forbidden, "The Management API is a system resource server and cannot be changed."), (update.Refusal, update.Message));
        await Assert.ThrowsAsync<AdminException>(() => _admin.UpdateSystemAsync(Administrator, system with { Name = "Mine" }, default));
        await Assert.ThrowsAsync<AdminException>(() => _admin.CreateSystemAsync(AdminActor.ManagementApiClient("caller"), SystemApi() with { Identifier = "https://other/" }, default));
        var delete = await Assert.ThrowsAsync<AdminException>(() => _admin.DeleteAsync(Administrator, system.Id, default));
        Assert.Equal("The Management API is a system resource server and cannot be deleted.", delete.Message);

        var moved = await _admin.UpdateSystemAsync(AdminActor.System("bootstrap"), system with { Identifier = "https://moved/api/v2/" }, default);
        Assert.Equal("https://moved/api/v2/", moved.Identifier);
    }

    [Fact]
    public async Task Delete_takes_the_apis_client_grants_with_it_and_is_one_event_naming_the_administrator()
    {
        var api = await _admin.CreateAsync(AdminActor.System("demo"), new ResourceServerDraft("https://a.test/") { Scopes = [new("read:a", null)] }, default);
        _world.AddClient("m2m", "client_secret_post", "a-secret-of-some-length", "client_credentials");
        await _world.Store.CreateClientGrantAsync(new ClientGrant("cgr_1", "m2m", "https://a.test/", ["read:a"], 0), default);
        var before = _world.Writes().Count;

        await _admin.DeleteAsync(Administrator, "https://a.test/", default);

        Assert.Null(await _world.Store.GetClientGrantAsync("cgr_1", default));
        var only = Assert.Single(_world.Writes().Skip(before));
        Assert.Equal("dashboard", only.Request().GetProperty("channel").GetString());
        Assert.Equal("/api/v2/resource-servers/" + api.Id, only.Request().GetProperty("path").GetString());
        Assert.Equal("admin@example.com", only.Request().GetProperty("auth").GetProperty("user").GetProperty("email").GetString());
    }

    private static ResourceServer SystemApi() =>
        new("sys", "https://gatehouse.test/api/v2/", "Gatehouse Management API", [new("read:users", null)], "RS256", 86400, 7200, false, false, true, null, 0);
}
