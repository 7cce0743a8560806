using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Faults;

/// <summary>Which fault route a request path belongs to (null: not a faultable route, e.g. the admin API).</summary>
internal static class FaultRoutes
{
    public static string? Classify(PathString path)
    {
        var p = path.Value ?? "";
        if (p.StartsWith("/_emulator", StringComparison.Ordinal)) return null;
        if (p.StartsWith("/aadgraph/", StringComparison.OrdinalIgnoreCase)) return FaultRoute.AadGraph;
        if (p.StartsWith("/v1.0/", StringComparison.OrdinalIgnoreCase)) return FaultRoute.Graph;
        if (p.EndsWith("/oauth2/v2.0/token", StringComparison.OrdinalIgnoreCase)) return FaultRoute.TokenV2;
        if (p.EndsWith("/oauth2/token", StringComparison.OrdinalIgnoreCase)) return FaultRoute.TokenV1;
        if (p.Contains("/.well-known/openid-configuration", StringComparison.OrdinalIgnoreCase)) return FaultRoute.Discovery;
        if (p.EndsWith("/discovery/keys", StringComparison.OrdinalIgnoreCase)
            || p.EndsWith("/discovery/v2.0/keys", StringComparison.OrdinalIgnoreCase)) return FaultRoute.Keys;
        if (p.StartsWith("/common/userrealm/", StringComparison.OrdinalIgnoreCase)) return FaultRoute.UserRealm;
        if (p.StartsWith("/common/discovery/instance", StringComparison.OrdinalIgnoreCase)) return FaultRoute.Instance;
        return null;
    }
}
