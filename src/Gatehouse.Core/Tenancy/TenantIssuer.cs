namespace Gatehouse.Core.Tenancy;

/// <summary>
/// The one tenant's issuer (<c>https://host[:port]/</c>, with the trailing slash Auth0 SDKs compare against).
/// Set once the public URL is known, which for a server on port 0 is only after it has started listening.
/// </summary>
public sealed class TenantIssuer
{
    private string? _issuer;

    public TenantIssuer()
    {
    }

    public TenantIssuer(string publicBaseUrl) => Set(publicBaseUrl);

    public bool IsSet => Volatile.Read(ref _issuer) is not null;

    public string Issuer => Volatile.Read(ref _issuer) ?? throw new InvalidOperationException("The issuer is not known yet.");

    /// <summary>The Management API audience, <c>{issuer}api/v2/</c>.</summary>
    public string ManagementAudience => Issuer + "api/v2/";

    /// <summary>The audience of tokens that are good only at /userinfo.</summary>
    public string UserinfoAudience => Issuer + "userinfo";

    public void Set(string publicBaseUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(publicBaseUrl);
        if (!Uri.TryCreate(publicBaseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            throw new ArgumentException($"'{publicBaseUrl}' is not an absolute http(s) URL.", nameof(publicBaseUrl));
        Volatile.Write(ref _issuer, uri.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");
    }
}
