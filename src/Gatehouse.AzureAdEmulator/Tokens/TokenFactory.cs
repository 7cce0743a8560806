using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Model;

namespace Gatehouse.AzureAd.Emulator.Tokens;

/// <summary>Mints access and id tokens with the claims of each version (reference §4).</summary>
internal sealed class TokenFactory(SigningKeys keys, TimeProvider time)
{
    public SigningKeys Keys => keys;

    public IssuedTokens Issue(IssueRequest r)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var lifetime = r.Directory.Settings.AccessTokenLifetimeSeconds;
        var t = r.Tampering;
        var (iat, exp) = t is { Expired: true } ? (now - lifetime - 3600, now - 3600) : (now, now + lifetime);
        var tid = t is { WrongTenant: true } ? Guid.NewGuid().ToString() : r.User.Tenant.Id;
        var key = keys.Current;

        var accessV1 = r.Resource.TokenVersion == 1;
        var atIssuer = Issuer(r, accessV1 ? "1.0" : "2.0");
        var audience = t is { WrongAudience: true } ? Guid.NewGuid().ToString() : r.Audience;
        var accessStyle = accessV1 ? JwtStyle.V1Signed : JwtStyle.V2Signed;
        var access = Jwt.Create(accessStyle, key, w =>
        {
            WriteCommon(w, audience, atIssuer, iat, exp);
            if (accessV1) WriteAccessV1(w, r, tid); else WriteAccessV2(w, r, tid);
        });

        string? id = null;
        if (r.IncludeIdToken)
        {
            var v1 = r.EndpointVersion == "1.0";
            var idAudience = t is { WrongAudience: true } ? audience : r.Client.AppId;
            // v1 token-endpoint id_tokens are unsigned; v2 ones are RS256 unless a fault says otherwise.
            var idStyle = v1 || t is { Unsigned: true } ? JwtStyle.Unsigned : JwtStyle.V2Signed;
            id = Jwt.Create(idStyle, key, w =>
            {
                WriteCommon(w, idAudience, Issuer(r, r.EndpointVersion), iat, exp);
                if (v1) WriteIdV1(w, r, tid); else WriteIdV2(w, r, tid);
            });
        }
        return new IssuedTokens(access, id, iat, exp);
    }

    /// <summary>v1: https://sts.windows.net/{tid}/ (trailing slash); v2: {base}{tid}/v2.0 (none).</summary>
    public static string IssuerFor(string version, string tenantId, string baseUrl) =>
        version == "1.0" ? $"https://sts.windows.net/{tenantId}/" : $"{baseUrl}{tenantId}/v2.0";

    private static string Issuer(IssueRequest r, string version) =>
        r.Tampering is { WrongIssuer: true }
            ? IssuerFor(version, "00000000-0000-0000-0000-00000000dead", r.BaseUrl)
            : IssuerFor(version, r.User.Tenant.Id, r.BaseUrl);

    private static void WriteCommon(Utf8JsonWriter w, string aud, string iss, long iat, long exp)
    {
        w.WriteString("aud", aud);
        w.WriteString("iss", iss);
        w.WriteNumber("iat", iat);
        w.WriteNumber("nbf", iat);
        w.WriteNumber("exp", exp);
    }

    private static void WriteAccessV1(Utf8JsonWriter w, IssueRequest r, string tid)
    {
        var s = r.User.Seed;
        w.WriteString("acr", "1");
        w.WriteString("aio", Opaque(r.User.Id, "aio"));
        WriteStrings(w, "amr", r.Amr);
        w.WriteString("app_displayname", r.Client.Seed.DisplayName);
        w.WriteString("appid", r.Client.AppId);
        w.WriteString("appidacr", r.ClientAuthenticated ? "1" : "0");
        if (s.Surname is not null) w.WriteString("family_name", s.Surname);
        if (s.GivenName is not null) w.WriteString("given_name", s.GivenName);
        WriteGroups(w, r, r.Resource.GroupMembershipClaims);
        w.WriteString("idtyp", "user");
        if (r.IpAddress is not null) w.WriteString("ipaddr", r.IpAddress);
        w.WriteString("name", s.DisplayName);
        w.WriteString("oid", r.User.Id);
        w.WriteString("rh", Opaque(r.User.Id, "rh"));
        WriteRoles(w, r);
        w.WriteString("scp", string.Join(' ', r.Scopes));
        w.WriteString("sub", PairwiseSubject(r.User, r.Resource.AppId));
        w.WriteString("tid", tid);
        w.WriteString("unique_name", s.UserPrincipalName);
        w.WriteString("upn", s.UserPrincipalName);
        w.WriteString("uti", Uti());
        w.WriteString("ver", "1.0");
    }

    private static void WriteAccessV2(Utf8JsonWriter w, IssueRequest r, string tid)
    {
        var s = r.User.Seed;
        w.WriteString("aio", Opaque(r.User.Id, "aio"));
        w.WriteString("azp", r.Client.AppId);
        w.WriteString("azpacr", r.ClientAuthenticated ? "1" : "0");
        WriteGroups(w, r, r.Resource.GroupMembershipClaims);
        w.WriteString("name", s.DisplayName);
        w.WriteString("oid", r.User.Id);
        w.WriteString("preferred_username", s.UserPrincipalName);
        w.WriteString("rh", Opaque(r.User.Id, "rh"));
        WriteRoles(w, r);
        w.WriteString("scp", string.Join(' ', r.Scopes));
        w.WriteString("sub", PairwiseSubject(r.User, r.Resource.AppId));
        w.WriteString("tid", tid);
        w.WriteString("uti", Uti());
        w.WriteString("ver", "2.0");
    }

    private static void WriteIdV1(Utf8JsonWriter w, IssueRequest r, string tid)
    {
        var s = r.User.Seed;
        WriteStrings(w, "amr", r.Amr);
        if (s.UserType == "Guest" && s.Mail is not null) w.WriteString("email", s.Mail);
        if (s.Surname is not null) w.WriteString("family_name", s.Surname);
        if (s.GivenName is not null) w.WriteString("given_name", s.GivenName);
        WriteGroups(w, r, r.Client.Seed.GroupMembershipClaims);
        if (r.IpAddress is not null) w.WriteString("ipaddr", r.IpAddress);
        w.WriteString("name", s.DisplayName);
        if (r.Nonce is not null) w.WriteString("nonce", r.Nonce);
        w.WriteString("oid", r.User.Id);
        w.WriteString("rh", Opaque(r.User.Id, "rh"));
        w.WriteString("sub", PairwiseSubject(r.User, r.Client.AppId));
        w.WriteString("tid", tid);
        w.WriteString("unique_name", s.UserPrincipalName);
        w.WriteString("upn", s.UserPrincipalName);
        w.WriteString("ver", "1.0");
    }

    private static void WriteIdV2(Utf8JsonWriter w, IssueRequest r, string tid)
    {
        var s = r.User.Seed;
        w.WriteString("aio", Opaque(r.User.Id, "aio"));
        if (r.EmailScope && s.Mail is not null) w.WriteString("email", s.Mail);
        WriteGroups(w, r, r.Client.Seed.GroupMembershipClaims);
        w.WriteString("name", s.DisplayName);
        if (r.Nonce is not null) w.WriteString("nonce", r.Nonce);
        w.WriteString("oid", r.User.Id);
        w.WriteString("preferred_username", s.UserPrincipalName);
        w.WriteString("rh", Opaque(r.User.Id, "rh"));
        w.WriteString("sub", PairwiseSubject(r.User, r.Client.AppId));
        w.WriteString("tid", tid);
        w.WriteString("uti", Uti());
        w.WriteString("ver", "2.0");
    }

    /// <summary>groups (≤ limit) or the overage claims pointing at getMemberObjects (reference §4.3).</summary>
    private static void WriteGroups(Utf8JsonWriter w, IssueRequest r, string setting)
    {
        if (setting == "None") return;
        var groups = r.User.TransitiveMemberOf.Where(g => setting == "All" || g.Seed.SecurityEnabled).ToList();
        if (groups.Count <= r.Directory.Settings.GroupsClaimLimit)
        {
            WriteStrings(w, "groups", groups.Select(g => g.Id));
            return;
        }
        var host = r.Directory.Settings.OverageEndpoint == "emulator" ? $"{r.BaseUrl}aadgraph" : "https://graph.windows.net";
        w.WriteStartObject("_claim_names");
        w.WriteString("groups", "src1");
        w.WriteEndObject();
        w.WriteStartObject("_claim_sources");
        w.WriteStartObject("src1");
        w.WriteString("endpoint", $"{host}/{r.User.Tenant.Id}/users/{r.User.Id}/getMemberObjects");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRoles(Utf8JsonWriter w, IssueRequest r)
    {
        var roles = r.User.RolesOn(r.Resource.AppId).ToList();
        if (roles.Count > 0) WriteStrings(w, "roles", roles);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    /// <summary>Entra's sub is pairwise: stable per (user, app), different across apps.</summary>
    private static string PairwiseSubject(User user, string appId) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.Tenant.Id}|{user.Id}|{appId}")))[..43];

    private static string Opaque(string userId, string purpose) =>
        Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes($"{purpose}|{userId}")))[..32];

    private static string Uti() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
