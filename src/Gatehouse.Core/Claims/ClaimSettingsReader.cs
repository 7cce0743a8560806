using System.Text.Json;

namespace Gatehouse.Core.Claims;

/// <summary>
/// Reads <c>gatehouse_claims</c>:
/// <c>{"namespace": "https://example.com/", "access_token": ["roles", ...], "id_token": [...],
/// "groups": {"format": "names"|"ids", "prefix": "...", "only": [...]}, "max_groups": 100}</c>.
/// A resource server has no id token to speak for: <c>id_token</c> is refused there. Null or absent: no settings.
/// </summary>
public static class ClaimSettingsReader
{
    /// <summary>Auth0 keeps these domains for its own claims: a namespace on them is refused, as Auth0 does.</summary>
    private static readonly string[] ReservedDomains = ["auth0.com", "webtask.io", "webtask.run"];

    public static (ClaimSettings? Settings, IReadOnlyList<SettingProblem> Problems) Read(JsonElement? value, bool forResourceServer)
    {
        var problems = new List<SettingProblem>();
        if (value is not { } v || v.ValueKind == JsonValueKind.Null)
            return (null, problems);
        var json = new ExtensionJson(ClaimSettings.PropertyName, v, problems);
        string[] members = forResourceServer
            ? ["namespace", "access_token", "groups", "max_groups"]
            : ["namespace", "access_token", "id_token", "groups", "max_groups"];
        if (!json.IsObjectOf(members))
            return (null, problems);

        var ns = json.String("namespace", 200);
        if (ns is null && !json.Has("namespace"))
            json.Fail(json.Path + ".namespace", "is required (an https URL such as https://example.com/claims/)");
        else if (ns is not null && NamespaceProblem(ns) is { } nsProblem)
            json.Fail(json.Path + ".namespace", nsProblem);
        var access = json.Strings("access_token", ClaimKinds.All.Count, KindProblem) ?? [];
        var id = json.Strings("id_token", ClaimKinds.All.Count, KindProblem) ?? [];
        var maxGroups = json.Integer("max_groups", 1, ClaimSettings.MaxMaxGroups) ?? ClaimSettings.DefaultMaxGroups;

        var format = GroupClaimFormat.Names;
        string? prefix = null;
        IReadOnlyList<string>? only = null;
        if (json.Member("groups") is { } groupsValue)
        {
            var groups = json.Child("groups", groupsValue);
            if (groups.IsObjectOf("format", "prefix", "only"))
            {
                switch (groups.String("format"))
                {
                    case null or "names":
                        break;
                    case "ids":
                        format = GroupClaimFormat.Ids;
                        break;
                    default:
                        groups.Fail(groups.Path + ".format", "must be one of names, ids");
                        break;
                }

                prefix = groups.String("prefix");
                only = groups.Strings("only", 1000);
            }
        }

        return problems.Count == 0
            ? (new ClaimSettings(ns!, access, id, format, prefix, only, maxGroups), problems)
            : (null, problems);
    }

    private static string? KindProblem(string kind) =>
        ClaimKinds.All.Contains(kind, StringComparer.Ordinal) ? null : "must be one of " + string.Join(", ", ClaimKinds.All);

    private static string? NamespaceProblem(string ns)
    {
        if (!Uri.TryCreate(ns, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || !ns.EndsWith('/'))
            return "must be an http(s) URL ending in / (claims are named {namespace}{claim}), e.g. https://example.com/claims/";
        var host = url.Host.ToLowerInvariant();
        return ReservedDomains.Any(d => host == d || host.EndsWith("." + d, StringComparison.Ordinal))
            ? "must not be on an Auth0 domain (auth0.com, webtask.io, webtask.run)"
            : null;
    }
}
