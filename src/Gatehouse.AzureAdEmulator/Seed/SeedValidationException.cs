namespace Gatehouse.AzureAd.Emulator;

/// <summary>One mistake in a seed: where (a JSON path such as <c>$.users[2].tenantId</c>) and why.</summary>
public sealed record SeedError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>A seed (or a runtime change) was refused; <see cref="Errors"/> names every mistake.</summary>
public sealed class SeedValidationException : Exception
{
    public SeedValidationException(IReadOnlyList<SeedError> errors)
        : base("The emulator seed is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors))
    {
        Errors = errors;
    }

    public SeedValidationException() : this([]) { }

    public SeedValidationException(string message) : base(message) { Errors = [new SeedError("$", message)]; }

    public SeedValidationException(string message, Exception innerException) : base(message, innerException)
    {
        Errors = [new SeedError("$", message)];
    }

    public IReadOnlyList<SeedError> Errors { get; } = [];
}
