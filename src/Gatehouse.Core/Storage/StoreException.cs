namespace Gatehouse.Core.Storage;

public enum StoreError
{
    NotFound,
    AlreadyExists,
    /// <summary>The record changed since it was read (optimistic concurrency); re-read and retry.</summary>
    Conflict,
}

/// <summary>The one exception a store throws for expected outcomes; anything else is an infrastructure failure.</summary>
public sealed class StoreException : Exception
{
    public StoreException(StoreError error, string message) : base(message) => Error = error;

    public StoreException() : this(StoreError.NotFound, "Not found.") { }

    public StoreException(string message) : this(StoreError.NotFound, message) { }

    public StoreException(string message, Exception innerException) : base(message, innerException) { }

    public StoreError Error { get; }
}
