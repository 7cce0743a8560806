using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Gatehouse.Server.Tests.Infrastructure;

namespace Gatehouse.Server.Tests;

/// <summary>PUT /api/v2/keys/signing/{kid}/revoke: a rotated-out key leaves JWKS and validation at once; the current key cannot be revoked.</summary>
public sealed class SigningKeyRevocationTests : IAsyncLifetime
{
    private TestTenant _tenant = null!;

    public async Task InitializeAsync() => _tenant = await TestTenant.StartAsync(null);

    public Task DisposeAsync() => _tenant.DisposeAsync();

    [Fact]
    public async Task A_revoked_key_leaves_jwks_and_its_tokens_are_refused_at_once()
    {
        var api = _tenant.Management; // its token is signed by the key about to be rotated out and revoked
        var oldKid = (await HttpAssert.OkJsonAsync(await api.GetAsync("keys/signing"))).EnumerateArray().Single(k => k.GetProperty("current").GetBoolean()).GetProperty("kid").GetString()!;
        var userToken = (await HttpAssert.OkJsonAsync(await _tenant.PasswordLoginAsync())).GetProperty("access_token").GetString()!;
        using var admin = await _tenant.Server.CreateManagementClientAsync(); // also signed by the old key

        // The current key is refused, as in Auth0: rotate first.
        var snapshot = await _tenant.SnapshotAsync();
        Assert.Contains("rotate", await HttpAssert.ManagementErrorAsync(await api.PutAsync($"keys/signing/{oldKid}/revoke", null), 400, "invalid_request"), StringComparison.Ordinal);
        await HttpAssert.ManagementErrorAsync(await api.PutAsync("keys/signing/no-such-kid/revoke", null), 404, "inexistent_signing_key");
        Assert.Equal(snapshot, await _tenant.SnapshotAsync());

        var newKid = (await HttpAssert.OkJsonAsync(await api.PostAsync("keys/signing/rotate", null), HttpStatusCode.Created)).GetProperty("kid").GetString()!;
        Assert.Contains(oldKid, await JwksKidsAsync()); // still published: tokens it signed are alive
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(userToken)).StatusCode);
        using var fresh = await _tenant.Server.CreateManagementClientAsync(); // signed by the new key

        var revoked = await HttpAssert.OkJsonAsync(await fresh.PutAsync($"keys/signing/{oldKid}/revoke", null));
        Assert.Equal(oldKid, revoked.GetProperty("kid").GetString());
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", revoked.GetProperty("cert").GetString(), StringComparison.Ordinal);
        var nextKid = (await HttpAssert.OkJsonAsync(await fresh.GetAsync("keys/signing"))).EnumerateArray().Single(k => k.GetProperty("next").GetBoolean()).GetProperty("kid").GetString()!;
        Assert.Equal([newKid, nextKid], await JwksKidsAsync()); // the current key, and the next one waiting
        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(userToken)).StatusCode);
        await HttpAssert.ManagementErrorAsync(await admin.GetAsync("clients"), 401, "invalid_token");
        var listed = (await HttpAssert.OkJsonAsync(await fresh.GetAsync($"keys/signing/{oldKid}")));
        Assert.True(listed.GetProperty("revoked").GetBoolean());
        Assert.Contains(await _tenant.LogsOfTypeAsync("sapi"), l => l.Description == "Revoke an application signing key by its key id");

        // Revoking it again changes nothing; the new current key still cannot be revoked.
        var keysBefore = await _tenant.SnapshotAsync();
        await HttpAssert.OkJsonAsync(await fresh.PutAsync($"keys/signing/{oldKid}/revoke", null));
        await HttpAssert.ManagementErrorAsync(await fresh.PutAsync($"keys/signing/{newKid}/revoke", null), 400, "invalid_request");
        Assert.Equal(keysBefore, await _tenant.SnapshotAsync());
    }

    private async Task<List<string>> JwksKidsAsync() =>
        (await HttpAssert.OkJsonAsync(await _tenant.Server.Client.GetAsync(".well-known/jwks.json"))).GetProperty("keys").EnumerateArray()
            .Select(k => k.GetProperty("kid").GetString()!).ToList();

    private Task<HttpResponseMessage> UserInfoAsync(string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "userinfo");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return _tenant.Server.Client.SendAsync(request);
    }
}
