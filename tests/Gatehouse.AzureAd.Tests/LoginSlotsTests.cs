using Gatehouse.AzureAd.Tests.Fakes;
using Gatehouse.Core.Connections;
using Gatehouse.Connections.AzureAd;

namespace Gatehouse.AzureAd.Tests;

public sealed class LoginSlotsTests : WaadTestBase
{
    [Fact]
    public async Task Logins_beyond_the_limit_wait_their_turn_before_calling_azure_and_all_succeed()
    {
        using var counting = new InFlightCounter(Azure);
        using var strategy = new WaadConnectionStrategy(Protector, Time, Defaults with { MaxConcurrentLogins = 1 }, counting);
        var connection = (IPasswordConnection)strategy.Create(StoredConnection(With(BriefPayload(), ("client_secret", null))));
        await Login(connection); // the first login creates the user; the rest update it

        var logins = Enumerable.Range(0, 6).Select(_ => Task.Run(() => Login(connection))).ToList();
        foreach (var result in await Task.WhenAll(logins))
            AssertSuccess(result);

        Assert.Equal(1, counting.MostAtOnce);
        Assert.Equal(7, Azure.TokenRequests.Count());
    }

    /// <summary>Holds every upstream request a little and records how many were in flight at once.</summary>
    private sealed class InFlightCounter(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _now;

        public int MostAtOnce { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var now = Interlocked.Increment(ref _now);
            lock (this)
                MostAtOnce = Math.Max(MostAtOnce, now);
            try
            {
                await Task.Delay(20, cancellationToken);
                return await base.SendAsync(request, cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _now);
            }
        }
    }
}
