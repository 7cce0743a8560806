using Gatehouse.Core.Sessions;
using Gatehouse.Core.Storage;
using static Gatehouse.Storage.Tests.Conformance.TestData;

namespace Gatehouse.Storage.Tests.Conformance;

public abstract partial class StoreConformanceTests
{
    private static SsoSession Session(string userId, string? id = null) => new(
        id ?? Unique("ses_"), userId, ["Username-Password-Authentication", "contoso"], ["client-a"],
        T0, T0.AddMinutes(3), T0.AddDays(7), T0.AddDays(3), "2001:db8::7", "Mozilla/5.0", T0, 0);

    [Fact]
    public async Task Session_round_trips_and_its_id_is_unique()
    {
        var session = await Sessions.CreateAsync(Session(Unique("auth0|")), Ct);
        Assert.Equal(1, session.Version);
        AssertSame(session, await Sessions.GetAsync(session.Id, Ct));
        Assert.Null(await Sessions.GetAsync(Unique("ses_"), Ct));
        await AssertStoreError(StoreError.AlreadyExists, () => Sessions.CreateAsync(Session(Unique("auth0|"), session.Id), Ct));
    }

    [Fact]
    public async Task Session_update_is_optimistic()
    {
        var session = await Sessions.CreateAsync(Session(Unique("auth0|")), Ct);
        var touched = await Sessions.UpdateAsync(session with { LastInteractionAt = T0.AddHours(1), Clients = ["client-a", "client-b"] }, Ct);
        Assert.Equal(2, touched.Version);
        AssertSame(touched, await Sessions.GetAsync(session.Id, Ct));
        await AssertStoreError(StoreError.Conflict, () => Sessions.UpdateAsync(session with { LastInteractionAt = T0.AddHours(2) }, Ct));
        await AssertStoreError(StoreError.NotFound, () => Sessions.UpdateAsync(Session(Unique("auth0|")) with { Version = 1 }, Ct));
    }

    [Fact]
    public async Task Sessions_list_and_end_per_user_and_one_at_a_time()
    {
        var user = Unique("auth0|");
        var first = await Sessions.CreateAsync(Session(user), Ct);
        var second = await Sessions.CreateAsync(Session(user), Ct);
        var stranger = await Sessions.CreateAsync(Session(Unique("auth0|")), Ct);

        Assert.Equal([first.Id, second.Id], (await Sessions.ListForUserAsync(user, Ct)).Select(s => s.Id));
        Assert.True(await Sessions.DeleteAsync(first.Id, Ct));
        Assert.False(await Sessions.DeleteAsync(first.Id, Ct));
        Assert.Equal(1, await Sessions.DeleteForUserAsync(user, Ct));
        Assert.Empty(await Sessions.ListForUserAsync(user, Ct));
        Assert.Null(await Sessions.GetAsync(second.Id, Ct));
        Assert.NotNull(await Sessions.GetAsync(stranger.Id, Ct));
        Assert.Equal(0, await Sessions.DeleteForUserAsync(user, Ct));
    }
}
