using System.Text.Json;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Dashboard.Services;
using Gatehouse.Server.Shared;
using Microsoft.AspNetCore.Mvc;

namespace Gatehouse.Server.Dashboard.Pages.Logs;

/// <summary>One event in full (the Management API's shape), with the upstream detail and what to fix.</summary>
public sealed class LogDetailModel(IGatehouseStore store) : DashboardPageModel
{
    public LogEvent Log { get; private set; } = null!;

    public string Json { get; private set; } = "";

    public string? Advice { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id)
    {
        if (id.Length > 128 || await store.GetLogAsync(id, HttpContext.RequestAborted) is not { } log)
            return NotFound();
        Log = log;
        Json = LogJson.Of(log).ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        Advice = AadstsAdvice.For(LogLabels.UpstreamDetail(log));
        return Page();
    }
}
