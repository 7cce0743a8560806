using System.Text.Json;

namespace Gatehouse.Connections.AzureAd;

internal enum GraphFlavor
{
    None,
    MicrosoftGraph,
    AadGraph,
}

internal sealed record GraphGroup(string Id, string? DisplayName);

internal sealed record GraphGroups(IReadOnlyList<GraphGroup> Groups, bool Truncated);

/// <summary>A Graph call failed; the login goes on and the reason is recorded on the user.</summary>
internal sealed class GraphException : Exception
{
    public GraphException(string reason, int? status = null) : base(reason) => Status = status;

    /// <summary>The Graph HTTP status, when Graph answered.</summary>
    public int? Status { get; }

    public GraphException() : this("Graph failure") { }

    public GraphException(string message, Exception innerException) : base(message, innerException) { }
}

/// <summary>One time budget for all Graph work of a login.</summary>
internal sealed class GraphBudget(TimeProvider time, TimeSpan total)
{
    private readonly DateTimeOffset deadline = time.GetUtcNow() + total;

    public TimeSpan Remaining => deadline - time.GetUtcNow();
}

/// <summary>
/// Reads the signed-in user's profile and group memberships with the user's own token, from Microsoft Graph
/// (<c>/v1.0/me</c>, <c>/me/memberOf</c>, <c>/me/transitiveMemberOf</c>, absolute <c>@odata.nextLink</c>) or from the
/// retired Azure AD Graph (<c>/me?api-version=1.6</c>, <c>/me/memberOf</c>, relative <c>odata.nextLink</c>). A GET is
/// retried once on 429/5xx, honouring Retry-After when it fits the budget. Paging links are followed only when they
/// stay on the configured Graph host, so the user's token never goes elsewhere.
/// </summary>
internal sealed class GraphClient(UpstreamHttpClient http, TimeProvider time)
{
    public const int MaxPages = 1000;

    private const string MsGraphUserSelect =
        "id,displayName,givenName,surname,mail,userPrincipalName,jobTitle,mobilePhone,businessPhones,officeLocation,"
        + "preferredLanguage,accountEnabled,city,country,department,faxNumber,postalCode,state,streetAddress,usageLocation,"
        + "proxyAddresses,onPremisesSyncEnabled,onPremisesLastSyncDateTime,assignedLicenses,assignedPlans,provisionedPlans,"
        + "onPremisesProvisioningErrors";

    /// <summary>Which Graph an app_id (the resource of the user's token) names.</summary>
    public static GraphFlavor FlavorOf(string? appId, WaadIdentityApi api) => appId?.TrimEnd('/').ToLowerInvariant() switch
    {
        null => api == WaadIdentityApi.V2 ? GraphFlavor.MicrosoftGraph : GraphFlavor.None, // v2 asks for Graph User.Read
        "https://graph.windows.net" or "00000002-0000-0000-c000-000000000000" => GraphFlavor.AadGraph,
        "https://graph.microsoft.com" or "00000003-0000-0000-c000-000000000000" => GraphFlavor.MicrosoftGraph,
        _ => GraphFlavor.None,
    };

    public async Task<JsonElement> GetMeAsync(GraphFlavor flavor, WaadOptions o, string token, GraphBudget budget, string correlationId, CancellationToken ct)
    {
        if (flavor == GraphFlavor.AadGraph)
        {
            return await GetAsync(new Uri(o.AadGraphUrl, "me?api-version=1.6"), token, budget, correlationId, ct);
        }

        try
        {
            return await GetAsync(new Uri(o.GraphUrl, "v1.0/me?$select=" + MsGraphUserSelect), token, budget, correlationId, ct);
        }
        catch (GraphException e) when (e.Status == 400)
        {
            // A cloud (or emulator) that lacks one of the selected properties refuses the whole $select:
            // the default property set is better than no profile.
            return await GetAsync(new Uri(o.GraphUrl, "v1.0/me"), token, budget, correlationId, ct);
        }
    }

    public async Task<GraphGroups> GetGroupsAsync(
        GraphFlavor flavor, WaadOptions o, string token, Guid tenantId, GraphBudget budget, string correlationId, CancellationToken ct)
    {
        var aad = flavor == GraphFlavor.AadGraph;
        Uri? next = aad
            ? new Uri(o.AadGraphUrl, "me/memberOf?api-version=1.6")
            : new Uri(o.GraphUrl, o.ExtNestedGroups ? "v1.0/me/transitiveMemberOf" : "v1.0/me/memberOf");
        var groups = new List<GraphGroup>();
        for (var page = 0; next is not null; page++)
        {
            if (page >= MaxPages)
            {
                throw new GraphException($"more than {MaxPages} pages of memberships");
            }

            var body = await GetAsync(next, token, budget, correlationId, ct);
            if (!body.TryGetProperty("value", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new GraphException("membership page without a value array");
            }

            var count = items.GetArrayLength();
            for (var i = 0; i < count; i++)
            {
                if (ReadGroup(items[i], aad) is { } group)
                {
                    groups.Add(group);
                    if (groups.Count >= o.MaxGroupsToRetrieve)
                    {
                        return new GraphGroups(groups, i < count - 1 || HasNext(body, aad));
                    }
                }
            }

            next = aad ? AadNextLink(body, o, tenantId) : MsNextLink(body, o);
        }

        return new GraphGroups(groups, false);
    }

    private static bool HasNext(JsonElement body, bool aad) =>
        body.TryGetProperty(aad ? "odata.nextLink" : "@odata.nextLink", out var n) && n.ValueKind == JsonValueKind.String;

    private static GraphGroup? ReadGroup(JsonElement item, bool aad)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var isGroup = aad
            ? Str(item, "objectType") == "Group" || Str(item, "odata.type") == "Microsoft.DirectoryServices.Group"
            : Str(item, "@odata.type") == "#microsoft.graph.group";
        var id = Str(item, aad ? "objectId" : "id");
        return isGroup && !string.IsNullOrEmpty(id) ? new GraphGroup(id, Str(item, "displayName")) : null;
    }

    private static Uri? MsNextLink(JsonElement body, WaadOptions o)
    {
        if (!body.TryGetProperty("@odata.nextLink", out var link) || link.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        return Uri.TryCreate(link.GetString(), UriKind.Absolute, out var url) && SameOrigin(url, o.GraphUrl)
            ? url
            : throw new GraphException("@odata.nextLink points away from the configured Graph host; not followed");
    }

    private static Uri? AadNextLink(JsonElement body, WaadOptions o, Guid tenantId)
    {
        if (!body.TryGetProperty("odata.nextLink", out var link) || link.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = link.GetString()!;
        if (Uri.TryCreate(text, UriKind.Absolute, out var absolute) && absolute.Scheme.StartsWith("http", StringComparison.Ordinal))
        {
            if (!SameOrigin(absolute, o.AadGraphUrl))
            {
                throw new GraphException("odata.nextLink points away from the configured Azure AD Graph host; not followed");
            }

            return text.Contains("api-version=", StringComparison.Ordinal) ? absolute : new Uri(text + (text.Contains('?') ? "&" : "?") + "api-version=1.6");
        }

        // Azure AD Graph links are relative to the tenant: {aadgraph}{tenant}/{nextLink}&api-version=1.6
        var relative = $"{tenantId}/{text.TrimStart('/')}";
        relative += (relative.Contains('?') ? "&" : "?") + "api-version=1.6";
        var url = new Uri(o.AadGraphUrl, relative);
        return SameOrigin(url, o.AadGraphUrl) ? url : throw new GraphException("odata.nextLink escapes the Azure AD Graph host; not followed");
    }

    private static bool SameOrigin(Uri url, Uri baseUrl) =>
        url.Scheme == baseUrl.Scheme && string.Equals(url.Host, baseUrl.Host, StringComparison.OrdinalIgnoreCase)
        && url.Port == baseUrl.Port && url.AbsolutePath.StartsWith(baseUrl.AbsolutePath, StringComparison.Ordinal);

    private async Task<JsonElement> GetAsync(Uri url, string token, GraphBudget budget, string correlationId, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            var remaining = budget.Remaining;
            if (remaining <= TimeSpan.Zero)
            {
                throw new GraphException("Graph time budget exhausted");
            }

            UpstreamResponse response;
            using (var request = new HttpRequestMessage(HttpMethod.Get, url))
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
                request.Headers.TryAddWithoutValidation("Accept", "application/json");
                request.Headers.TryAddWithoutValidation("client-request-id", correlationId);
                try
                {
                    response = await http.SendAsync(request, remaining, "Graph " + url.AbsolutePath, ct);
                }
                catch (UpstreamCallException e)
                {
                    throw new GraphException(e.Detail, e);
                }
            }

            if (response.Status == 200)
            {
                try
                {
                    using var doc = JsonDocument.Parse(response.Body);
                    return doc.RootElement.ValueKind == JsonValueKind.Object
                        ? doc.RootElement.Clone()
                        : throw new GraphException($"Graph {url.AbsolutePath}: not a JSON object");
                }
                catch (JsonException)
                {
                    throw new GraphException($"Graph {url.AbsolutePath}: malformed JSON");
                }
            }

            var wait = response.RetryAfter ?? TimeSpan.FromSeconds(1);
            if (attempt == 0 && UpstreamResponse.IsTransient(response.Status) && wait < budget.Remaining)
            {
                await Task.Delay(wait, time, ct);
                continue;
            }

            throw new GraphException($"Graph {url.AbsolutePath}: http={response.Status} code={GraphErrorCode(response.Body) ?? "none"}", response.Status);
        }
    }

    private static string? GraphErrorCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object)
                {
                    return Str(e, "code");
                }

                if (root.TryGetProperty("odata.error", out var oe) && oe.ValueKind == JsonValueKind.Object)
                {
                    return Str(oe, "code");
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: the status says enough
        }

        return null;
    }

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
