namespace Gatehouse.AzureAd.Emulator.Errors;

/// <summary>An STS refusal: the AADSTS code, the OAuth <c>error</c> value, and the HTTP status.</summary>
internal sealed record AadstsError(
    int Code,
    string Error,
    string Message,
    int Status = 400,
    string? Suberror = null,
    string? Claims = null);
