namespace Gatehouse.Bench.Load.Hosts;

/// <summary>Which database a Gatehouse under test uses: SQLite in its data dir, or a fresh PostgreSQL database.</summary>
public sealed record StoreChoice(string Provider, string? ConnectionString)
{
    public static readonly StoreChoice Sqlite = new("sqlite", null);

    public static StoreChoice Postgres(string connectionString) => new("postgres", connectionString);

    public override string ToString() => Provider == "sqlite" ? "SQLite" : "PostgreSQL";
}
