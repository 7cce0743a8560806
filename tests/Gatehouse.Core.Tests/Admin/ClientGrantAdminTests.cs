using Gatehouse.Core.Admin;
using Gatehouse.Core.Tests.Fakes;

namespace Gatehouse.Core.Tests.Admin;

public sealed class ClientGrantAdminTests : IDisposable
{
    private static readonly AdminActor System = AdminActor.System("test");
    private readonly TestWorld _world = new();
    private readonly ClientGrantAdmin _admin;

    public ClientGrantAdminTests()
    {
        _admin = new ClientGrantAdmin(_world.Store, new AdminAudit(_world.Audit));
        _world.AddClient("m2m", "client_secret_post", "a-secret-of-some-length", "client_credentials");
        _world.AddApi("https://api.test/", false, "read:things", "write:things");
    }

    public void Dispose() => _world.Dispose();

    [Fact]
    public async Task A_scope_the_api_does_not_define_is_refused_and_nothing_is_written()
    {
        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(System, "m2m", "https://api.test/", ["read:things", "delete:things"], default));

        Assert.Equal(AdminRefusal.Invalid, refused.Refusal);
        Assert.Equal("Payload validation error: 'Scope delete:things is not defined by the resource server https://api.test/' on property scope.", refused.Message);
        Assert.Equal("scope", Assert.Single(refused.Problems).Field);
        Assert.Null(await _world.Store.FindClientGrantAsync("m2m", "https://api.test/", default));
        Assert.Empty(_world.Writes());
    }

    [Fact]
    public async Task The_client_and_the_api_must_exist()
    {
        var noClient = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(System, "nobody", "https://api.test/", [], default));
        Assert.Equal((AdminRefusal.NotFound, "No client found with id: nobody", "inexistent_client"), (noClient.Refusal, noClient.Message, noClient.ErrorCode));

        var noApi = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(System, "m2m", "https://nowhere.test/", [], default));
        Assert.Equal((AdminRefusal.NotFound, "No resource server found by identifier: https://nowhere.test/", "inexistent_resource_server"),
            (noApi.Refusal, noApi.Message, noApi.ErrorCode));
    }

    [Fact]
    public async Task A_second_grant_for_the_same_client_and_audience_is_a_conflict()
    {
        await _admin.CreateAsync(System, "m2m", "https://api.test/", ["read:things"], default);

        var refused = await Assert.ThrowsAsync<AdminException>(() => _admin.CreateAsync(System, "m2m", "https://api.test/", [], default));

        Assert.Equal(AdminRefusal.Conflict, refused.Refusal);
        Assert.Equal("A client grant for this client and audience already exists.", refused.Message);
    }

    [Fact]
    public async Task Create_dedupes_scopes_and_is_one_audit_event_naming_the_actor()
    {
        var grant = await _admin.CreateAsync(System, "m2m", "https://api.test/", ["read:things", "read:things"], default);

        Assert.Equal(["read:things"], grant.Scope);
        Assert.StartsWith("cgr_", grant.Id, StringComparison.Ordinal);
        _world.AssertOneSystemWrite("post", "/api/v2/client-grants", "test");
    }

    [Fact]
    public async Task Update_checks_the_scopes_against_the_grants_api()
    {
        var grant = await _admin.CreateAsync(AdminActor.ManagementApiClient("caller"), "m2m", "https://api.test/", [], default);

        await Assert.ThrowsAsync<AdminException>(() => _admin.UpdateScopeAsync(System, grant, ["nope"], default));
        var updated = await _admin.UpdateScopeAsync(System, grant, ["write:things"], default);

        Assert.Equal(["write:things"], updated.Scope);
        // The Management API's own edge records its calls; the service adds none for them.
        _world.AssertOneSystemWrite("patch", "/api/v2/client-grants/" + grant.Id, "test");
    }
}
