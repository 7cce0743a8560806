using Gatehouse.Core.Storage;

namespace Gatehouse.Storage.Tests.Conformance;

/// <summary>
/// The contract of <see cref="IGatehouseStore"/>, run unchanged against every backend (one subclass each).
/// The tests of one class share a database and run one after another, so each test makes its own keys and
/// scopes its lists (its own connection, client id, ...) instead of assuming an empty database.
/// </summary>
public abstract partial class StoreConformanceTests
{
    protected StoreConformanceTests(StoreFixture fixture)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        Store = fixture.Store;
        Administrators = fixture.Administrators;
        Sessions = fixture.Sessions;
    }

    protected Gatehouse.Core.Sessions.ISsoSessionStore Sessions { get; }

    protected IGatehouseStore Store { get; }

    protected Gatehouse.Core.Administrators.IAdministratorStore Administrators { get; }

    protected static CancellationToken Ct => CancellationToken.None;
}
