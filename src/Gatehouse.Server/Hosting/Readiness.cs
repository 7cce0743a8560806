using Gatehouse.Server.Authentication;

namespace Gatehouse.Server.Hosting;

/// <summary>
/// Requests get 503 until start-up has finished (storage migrated, keys loaded, issuer known, bootstrap done).
/// The gap exists because the issuer of a server on port 0 is known only once Kestrel listens.
/// </summary>
public sealed class Readiness
{
    private volatile bool _ready;

    public bool IsReady => _ready;

    public void MarkReady() => _ready = true;
}

internal static class ReadinessMiddleware
{
    public static void UseGatehouseReadiness(this WebApplication app)
    {
        var readiness = app.Services.GetRequiredService<Readiness>();
        app.Use(async (context, next) =>
        {
            // Live means the process answers, also while it starts; everything else waits for start-up.
            if (readiness.IsReady || context.Request.Path == Observability.LivePath)
            {
                await next(context);
                return;
            }
            context.Response.Headers.RetryAfter = "1";
            await OAuthResults.Error(503, "temporarily_unavailable", "Gatehouse is starting.").ExecuteAsync(context);
        });
    }
}
