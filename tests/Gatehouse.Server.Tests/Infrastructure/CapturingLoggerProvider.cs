using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// Every log line the server writes, at every level, with its structured values, scopes and exceptions: what a leak
/// test searches. Register it in configureServices and set Logging:LogLevel:Default to Trace.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<string> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyCollection<string> Lines => _lines;

    public string AllText => string.Join('\n', _lines);

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = new System.Text.StringBuilder($"{logLevel} {category} [{eventId}] {formatter(state, exception)}");
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
                foreach (var (key, value) in values)
                    line.Append($" | {key}={value}");
            owner._scopes.ForEachScope((scope, text) => text.Append($" | scope={scope}"), line);
            if (exception is not null)
                line.Append(" | ").Append(exception);
            owner._lines.Enqueue(line.ToString());
        }
    }
}
