namespace Gatehouse.Core.Storage;

/// <summary>Offset paging as the Management API exposes it (page is 0-based).</summary>
public sealed record PageRequest(int Page, int PerPage)
{
    public static PageRequest All { get; } = new(0, int.MaxValue);
    public int Offset => Page * PerPage;
}

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);
