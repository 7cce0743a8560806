namespace Gatehouse.Core.Storage;

/// <summary>Offset paging as the Management API exposes it (page is 0-based).</summary>
public sealed record PageRequest(int Page, int PerPage)
{
    public static PageRequest All { get; } = new(0, int.MaxValue);

    /// <summary>An explicit number of rows to skip (checkpoint paging resumes anywhere); otherwise Page * PerPage.</summary>
    public int? Skip { get; init; }

    public int Offset => Skip ?? Page * PerPage;

    /// <summary><paramref name="take"/> rows after the first <paramref name="skip"/>.</summary>
    public static PageRequest Window(int skip, int take) => new(0, take) { Skip = skip };
}

public sealed record Page<T>(IReadOnlyList<T> Items, int Total);
