using System.Data.Common;
using System.Diagnostics;
using Gatehouse.Core.Observability;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Gatehouse.Storage.Diagnostics;

/// <summary>
/// One <c>store {operation}</c> span and one <c>gatehouse.store.duration</c> measurement per database command, made
/// after the command from EF Core's own start time and duration, so nothing is kept between the two calls. The
/// span carries the operation and the database system only: never the SQL text or a parameter (they hold hashes,
/// protected secrets and user data).
/// </summary>
internal sealed class StoreTelemetryInterceptor : DbCommandInterceptor
{
    public static StoreTelemetryInterceptor Instance { get; } = new();

    private StoreTelemetryInterceptor() { }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        Record("reader", eventData, failed: false);
        return result;
    }

    public override ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default)
    {
        Record("reader", eventData, failed: false);
        return ValueTask.FromResult(result);
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Record("non_query", eventData, failed: false);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Record("non_query", eventData, failed: false);
        return ValueTask.FromResult(result);
    }

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result)
    {
        Record("scalar", eventData, failed: false);
        return result;
    }

    public override ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default)
    {
        Record("scalar", eventData, failed: false);
        return ValueTask.FromResult(result);
    }

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData) =>
        Record(Operation(eventData.ExecuteMethod), eventData, failed: true);

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Record(Operation(eventData.ExecuteMethod), eventData, failed: true);
        return Task.CompletedTask;
    }

    private static string Operation(DbCommandMethod method) => method switch
    {
        DbCommandMethod.ExecuteReader => "reader",
        DbCommandMethod.ExecuteScalar => "scalar",
        _ => "non_query",
    };

    private static void Record(string operation, CommandEndEventData eventData, bool failed)
    {
        var outcome = failed ? "failure" : "success";
        GatehouseTelemetry.StoreDuration.Record(eventData.Duration.TotalSeconds, new TagList
        {
            { "db.operation", operation },
            { "outcome", outcome },
        });
        if (!GatehouseTelemetry.Source.HasListeners())
            return;
        using var activity = GatehouseTelemetry.Source.StartActivity(
            ActivityKind.Client, default, null, null, eventData.StartTime, "store " + operation);
        if (activity is null)
            return;
        activity.SetTag("db.system", eventData.Context?.Database.ProviderName);
        activity.SetTag("db.operation", operation);
        if (failed)
            activity.SetStatus(ActivityStatusCode.Error);
        activity.SetEndTime((eventData.StartTime + eventData.Duration).UtcDateTime);
    }
}
