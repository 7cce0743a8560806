using Gatehouse.Core.Administrators;
using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    [Fact]
    public async Task Administrators_are_unique_by_email_whatever_its_case_and_updated_optimistically()
    {
        var id = "adm_" + Guid.NewGuid().ToString("N")[..12];
        var email = $"Root.{id}@Example.COM";
        var created = await Administrators.CreateAsync(new Administrator(id, email, "$hash", DateTimeOffset.UnixEpoch, null, 0), Ct);
        Assert.Equal(1, created.Version);
        Assert.Equal(email.ToLowerInvariant(), created.Email);

        Assert.Equal(id, (await Administrators.FindByEmailAsync(email.ToUpperInvariant(), Ct))!.Id);
        Assert.Equal(created, await Administrators.GetAsync(id, Ct));
        Assert.Contains(await Administrators.ListAsync(Ct), a => a.Id == id);
        var duplicate = await Assert.ThrowsAsync<StoreException>(() =>
            Administrators.CreateAsync(new Administrator(id + "x", email.ToLowerInvariant(), "$other", DateTimeOffset.UnixEpoch, null, 0), Ct));
        Assert.Equal(StoreError.AlreadyExists, duplicate.Error);

        var signedIn = await Administrators.UpdateAsync(created with { LastLogin = DateTimeOffset.UnixEpoch.AddDays(1) }, Ct);
        Assert.Equal(2, signedIn.Version);
        Assert.Equal(DateTimeOffset.UnixEpoch.AddDays(1), (await Administrators.GetAsync(id, Ct))!.LastLogin);
        var stale = await Assert.ThrowsAsync<StoreException>(() => Administrators.UpdateAsync(created with { PasswordHash = "$stale" }, Ct));
        Assert.Equal(StoreError.Conflict, stale.Error);
        Assert.Null(await Administrators.FindByEmailAsync("nobody-" + email, Ct));
    }
}
