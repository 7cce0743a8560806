namespace Gatehouse.Connections.AzureAd;

/// <summary>
/// The tenants a common-endpoint <c>waad</c> connection lets in: the ids and verified domains of
/// <c>gatehouse_allowed_tenants</c> plus the tenant its <c>tenantId</c> / <c>tenant_domain</c> / <c>domain</c> name
/// (with the common endpoint that pin is no longer ignored). Empty means any organization.
/// </summary>
public sealed record TenantAllowList(IReadOnlySet<Guid> TenantIds, IReadOnlyList<string> Domains)
{
    public static readonly TenantAllowList None = new(new HashSet<Guid>(), []);

    /// <summary>Set by <see cref="From"/> when a listed entry is neither a GUID nor a domain name.</summary>
    public string? Problem { get; init; }

    public bool IsEmpty => TenantIds.Count == 0 && Domains.Count == 0;

    public static TenantAllowList From(bool useCommon, IReadOnlyList<string>? listed, Guid? tenantId, string? tenantDomain, string? domain)
    {
        var ids = new HashSet<Guid>();
        var domains = new List<string>();
        string? problem = null;
        foreach (var entry in listed ?? [])
        {
            if (!Add(entry, ids, domains))
            {
                problem ??= $"items must be tenant ids (GUIDs) or domain names (e.g. contoso.onmicrosoft.com): '{entry}'";
            }
        }

        if (useCommon)
        {
            // The connection's own tenant options: already checked as a GUID or a domain name by the parser.
            if (tenantId is { } id)
            {
                ids.Add(id);
            }

            foreach (var named in new[] { tenantDomain, domain })
            {
                if (named is not null)
                {
                    Add(named, ids, domains);
                }
            }
        }

        return new TenantAllowList(ids, domains) { Problem = problem };
    }

    private static bool Add(string entry, HashSet<Guid> ids, List<string> domains)
    {
        if (Guid.TryParse(entry, out var id))
        {
            ids.Add(id);
            return true;
        }

        if (Uri.CheckHostName(entry) != UriHostNameType.Dns)
        {
            return false;
        }

        var normalized = entry.ToLowerInvariant();
        if (!domains.Contains(normalized))
        {
            domains.Add(normalized);
        }

        return true;
    }
}
