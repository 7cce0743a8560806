using System.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>
/// Azure AD Graph (graph.windows.net, api-version=1.6) under {base}aadgraph/ (§9): relative odata.nextLink,
/// 400 without api-version, and a "retired" switch that answers 403 to everything.
/// </summary>
internal static class AadGraphEndpoints
{
    private const string Route = FaultRoute.AadGraph;
    private static readonly HashSet<string> ApiVersions = new(StringComparer.OrdinalIgnoreCase) { "1.5", "1.6", "2013-11-08", "1.6-internal" };

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapGet("/aadgraph/me", (HttpContext ctx) => Guarded(ctx, rt, null, GraphPermissions.ReadMe, c => MeAsync(ctx, c, null)));
        app.MapGet("/aadgraph/{tenant}/me", (HttpContext ctx, string tenant) => Guarded(ctx, rt, tenant, GraphPermissions.ReadMe, c => MeAsync(ctx, c, tenant)));
        app.MapGet("/aadgraph/me/memberOf", (HttpContext ctx) =>
            Guarded(ctx, rt, null, GraphPermissions.AadGraphGroups, c => MemberOfAsync(ctx, rt, c, c.User, null)));
        app.MapGet("/aadgraph/{tenant}/me/memberOf", (HttpContext ctx, string tenant) =>
            Guarded(ctx, rt, tenant, GraphPermissions.AadGraphGroups, c => MemberOfAsync(ctx, rt, c, c.User, tenant)));
        // Where the relative odata.nextLink of memberOf leads.
        app.MapGet("/aadgraph/{tenant}/directoryObjects/$/Microsoft.DirectoryServices.User/{id}/memberOf", (HttpContext ctx, string tenant, string id) =>
            Guarded(ctx, rt, tenant, GraphPermissions.AadGraphGroups, c => WithUserAsync(ctx, rt, c, id, u => MemberOfAsync(ctx, rt, c, u, tenant))));
        foreach (var function in new[] { "getMemberGroups", "getMemberObjects" })
            app.MapPost($"/aadgraph/{{tenant}}/users/{{id}}/{function}", (HttpContext ctx, string tenant, string id) =>
                Guarded(ctx, rt, tenant, GraphPermissions.AadGraphGroups, c => WithUserAsync(ctx, rt, c, id, u => MemberGroupsAsync(ctx, rt, c, u, tenant))));
    }

    /// <summary>Retired switch, api-version, token, scopes, then the tenant in the path.</summary>
    private static Task Guarded(HttpContext ctx, EmulatorRuntime rt, string? tenant, string[] anyOf, Func<GraphCaller, Task> handle)
    {
        if (rt.Directory.Settings.AadGraphRetired)
            return Fail(ctx, rt, 403, "Authorization_RequestDenied", "Access blocked to AAD Graph API for this application. https://aka.ms/AzureADGraphMigration.");
        var version = ctx.Request.Query["api-version"].ToString();
        if (version.Length == 0)
            return Fail(ctx, rt, 400, "Request_BadRequest", "The api-version query parameter is required.");
        if (!ApiVersions.Contains(version))
            return Fail(ctx, rt, 400, "Request_BadRequest", "The specified api-version is invalid. The value must exactly match a supported version.");
        return GraphResponses.RunAsync(ctx, rt, Route, anyOf, caller =>
        {
            if (tenant is not null && !tenant.Equals("myorganization", StringComparison.OrdinalIgnoreCase)
                && caller.Directory.FindTenant(tenant) != caller.User.Tenant)
                return Fail(ctx, rt, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
            return handle(caller);
        });
    }

    private static Task Fail(HttpContext ctx, EmulatorRuntime rt, int status, string code, string message) =>
        GraphResponses.FailAsync(ctx, rt, Route, status, code, message);

    private static Task WithUserAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller, string id, Func<User, Task> handle)
    {
        var user = caller.Directory.FindUser(id);
        return user is null || user.Tenant != caller.User.Tenant
            ? Fail(ctx, rt, 404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.")
            : handle(user);
    }

    private static string Metadata(HttpContext ctx, string? tenant, string fragment) =>
        $"{RequestIds.BaseUrl(ctx)}aadgraph/{tenant ?? "myorganization"}/$metadata#{fragment}";

    private static Task MeAsync(HttpContext ctx, GraphCaller caller, string? tenant) =>
        GraphResponses.WriteAsync(ctx, true, w =>
        {
            w.WriteString("odata.metadata", Metadata(ctx, tenant, "directoryObjects/@Element"));
            WriteUser(w, caller.User);
        });

    private static Task MemberOfAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller, User user, string? tenant)
    {
        var page = GraphPaging.Read(ctx.Request, caller.Directory.Settings.GraphPageSize, aadGraphToken: true);
        if (page is null) return Fail(ctx, rt, 400, "Request_BadRequest", "Invalid $top or $skiptoken.");
        var (offset, size) = page.Value;
        var groups = user.MemberOf;
        return GraphResponses.WriteAsync(ctx, true, w =>
        {
            w.WriteString("odata.metadata", Metadata(ctx, tenant, "directoryObjects"));
            w.WriteStartArray("value");
            foreach (var g in groups.Skip(offset).Take(size)) WriteGroup(w, g);
            w.WriteEndArray();
            if (offset + size < groups.Count)
            {
                // Relative: clients append it to {aadgraph}/{tenant}/ and add &api-version=1.6 themselves.
                var next = new StringBuilder($"directoryObjects/$/Microsoft.DirectoryServices.User/{user.Id}/memberOf?");
                if (ctx.Request.Query.ContainsKey("$top")) next.Append("$top=").Append(size).Append('&');
                next.Append("$skiptoken=").Append(GraphPaging.AadGraphToken(offset + size));
                w.WriteString("odata.nextLink", next.ToString());
            }
        });
    }

    private static async Task MemberGroupsAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller, User user, string tenant)
    {
        var body = await GraphResponses.ReadBodyAsync(ctx);
        if (body is null || !body.Value.TryGetProperty("securityEnabledOnly", out var flag) || flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            await Fail(ctx, rt, 400, "Request_BadRequest", "The request body must be a JSON object with a boolean 'securityEnabledOnly'.");
            return;
        }
        await GraphResponses.WriteAsync(ctx, true, w =>
        {
            w.WriteString("odata.metadata", Metadata(ctx, tenant, "Collection(Edm.String)"));
            w.WriteStartArray("value");
            foreach (var id in GraphResponses.MemberGroupIds(user, flag.GetBoolean())) w.WriteStringValue(id);
            w.WriteEndArray();
        });
    }

    private static void WriteUser(Utf8JsonWriter w, User user)
    {
        var s = user.Seed;
        w.WriteString("odata.type", "Microsoft.DirectoryServices.User");
        w.WriteString("objectType", "User");
        w.WriteString("objectId", user.Id);
        w.WriteNull("deletionTimestamp");
        w.WriteBoolean("accountEnabled", s.AccountEnabled);
        w.WriteStartArray("assignedLicenses");
        w.WriteEndArray();
        w.WriteStartArray("assignedPlans");
        w.WriteEndArray();
        w.WriteString("city", s.City);
        w.WriteString("companyName", s.CompanyName);
        w.WriteString("country", s.Country);
        w.WriteString("department", s.Department);
        if (s.Federated) w.WriteBoolean("dirSyncEnabled", true); else w.WriteNull("dirSyncEnabled");
        w.WriteString("displayName", s.DisplayName);
        w.WriteString("employeeId", s.EmployeeId);
        w.WriteNull("facsimileTelephoneNumber");
        w.WriteString("givenName", s.GivenName);
        w.WriteString("jobTitle", s.JobTitle);
        w.WriteString("mail", s.Mail);
        w.WriteString("mailNickname", s.MailNickname ?? s.UserPrincipalName.Split('@')[0]);
        w.WriteString("mobile", s.MobilePhone);
        w.WriteStartArray("otherMails");
        w.WriteEndArray();
        w.WriteNull("passwordPolicies");
        w.WriteString("physicalDeliveryOfficeName", s.OfficeLocation);
        w.WriteString("postalCode", s.PostalCode);
        w.WriteString("preferredLanguage", s.PreferredLanguage);
        w.WriteStartArray("proxyAddresses");
        w.WriteEndArray();
        w.WriteString("state", s.State);
        w.WriteString("streetAddress", s.StreetAddress);
        w.WriteString("surname", s.Surname);
        w.WriteString("telephoneNumber", s.BusinessPhones.Count > 0 ? s.BusinessPhones[0] : null);
        w.WriteString("usageLocation", s.UsageLocation);
        w.WriteString("userPrincipalName", s.UserPrincipalName);
        w.WriteString("userType", s.UserType);
    }

    private static void WriteGroup(Utf8JsonWriter w, Group g)
    {
        var s = g.Seed;
        w.WriteStartObject();
        w.WriteString("odata.type", "Microsoft.DirectoryServices.Group");
        w.WriteString("objectType", "Group");
        w.WriteString("objectId", g.Id);
        w.WriteNull("deletionTimestamp");
        w.WriteString("description", s.Description);
        w.WriteNull("dirSyncEnabled");
        w.WriteString("displayName", s.DisplayName);
        w.WriteString("mail", s.Mail);
        w.WriteString("mailNickname", s.MailNickname ?? s.DisplayName.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        w.WriteBoolean("mailEnabled", s.MailEnabled);
        w.WriteStartArray("proxyAddresses");
        w.WriteEndArray();
        w.WriteBoolean("securityEnabled", s.SecurityEnabled);
        w.WriteEndObject();
    }
}
