using System.Collections.Concurrent;

namespace Gatehouse.AzureAd.Emulator;

/// <summary>One token-endpoint or sign-in page outcome (grantType "authorize"). Never holds a password or a token.</summary>
public sealed record SignInLogEntry(
    DateTimeOffset Time,
    string? TenantId,
    string? UserPrincipalName,
    string? AppId,
    string? Resource,
    string? Scope,
    /// <summary>"1.0" or "2.0".</summary>
    string EndpointVersion,
    string? GrantType,
    /// <summary>0 for success, else the AADSTS code.</summary>
    int ResultCode,
    string? Error,
    string CorrelationId,
    string TraceId);

/// <summary>The emulator's sign-in log: the most recent entries, oldest first.</summary>
public sealed class SignInLog
{
    private const int Capacity = 10_000;
    private readonly ConcurrentQueue<SignInLogEntry> _entries = new();

    public IReadOnlyList<SignInLogEntry> Entries => [.. _entries];

    public void Clear() => _entries.Clear();

    internal void Add(SignInLogEntry entry)
    {
        _entries.Enqueue(entry);
        while (_entries.Count > Capacity) _entries.TryDequeue(out _);
    }
}
