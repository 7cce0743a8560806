using System.Text;
using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Gatehouse.AzureAd.Emulator.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Microsoft Graph v1.0 on the emulator host (§8): profile, group membership, paging with absolute nextLink.</summary>
internal static class GraphEndpoints
{
    private const string Route = FaultRoute.Graph;
    private const int MemberGroupsLimit = 11_000;

    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        app.MapGet("/v1.0/me", (HttpContext ctx) => GraphResponses.RunAsync(ctx, rt, Route, GraphPermissions.ReadMe, c => MeAsync(ctx, rt, c)));
        foreach (var (path, transitive) in new[] { ("memberOf", false), ("transitiveMemberOf", true) })
        {
            RequestDelegate list = ctx => GraphResponses.RunAsync(ctx, rt, Route, GraphPermissions.ListMyGroups, c => MemberOfAsync(ctx, rt, c, path, transitive));
            app.MapGet($"/v1.0/me/{path}", list);
            app.MapGet($"/v1.0/me/{path}/microsoft.graph.group", list);
        }
        foreach (var function in new[] { "getMemberGroups", "getMemberObjects" })
        {
            app.MapPost($"/v1.0/me/{function}", (HttpContext ctx) =>
                GraphResponses.RunAsync(ctx, rt, Route, GraphPermissions.CheckMyGroups, c => MemberGroupsAsync(ctx, rt, c, c.User)));
            app.MapPost($"/v1.0/users/{{id}}/{function}", (HttpContext ctx, string id) =>
                GraphResponses.RunAsync(ctx, rt, Route, GraphPermissions.CheckMyGroups, c => UserMemberGroupsAsync(ctx, rt, c, id)));
        }
        app.MapPost("/v1.0/directoryObjects/getByIds", (HttpContext ctx) =>
            GraphResponses.RunAsync(ctx, rt, Route, GraphPermissions.ReadDirectory, c => GetByIdsAsync(ctx, rt, c)));
    }

    private static Task MeAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller)
    {
        var (properties, unknown) = GraphUserProperties.Select(ctx.Request.Query["$select"]);
        if (unknown is not null)
            return GraphResponses.FailAsync(ctx, rt, Route, 400, "Request_BadRequest", $"Could not find a property named '{unknown}' on type 'microsoft.graph.user'.");
        var b = RequestIds.BaseUrl(ctx);
        var context = ctx.Request.Query.ContainsKey("$select")
            ? $"{b}v1.0/$metadata#users({string.Join(',', properties)})/$entity"
            : $"{b}v1.0/$metadata#users/$entity";
        return GraphResponses.WriteAsync(ctx, false, w =>
        {
            w.WriteString("@odata.context", context);
            GraphUserProperties.Write(w, caller.User.Seed, properties);
        });
    }

    private static Task MemberOfAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller, string path, bool transitive)
    {
        var page = GraphPaging.Read(ctx.Request, caller.Directory.Settings.GraphPageSize, aadGraphToken: false);
        if (page is null) return GraphResponses.FailAsync(ctx, rt, Route, 400, "Request_BadRequest", "Invalid $top or $skiptoken.");
        var (offset, size) = page.Value;
        var groups = transitive ? caller.User.TransitiveMemberOf : caller.User.MemberOf;
        var select = ctx.Request.Query["$select"].ToString();
        var b = RequestIds.BaseUrl(ctx);
        return GraphResponses.WriteAsync(ctx, false, w =>
        {
            w.WriteString("@odata.context", $"{b}v1.0/$metadata#directoryObjects");
            if (offset + size < groups.Count)
            {
                var next = new StringBuilder($"{b}v1.0/me/{path}?");
                if (select.Length > 0) next.Append("$select=").Append(Uri.EscapeDataString(select)).Append('&');
                next.Append("$top=").Append(size).Append("&$skiptoken=").Append(GraphPaging.GraphToken(offset + size));
                w.WriteString("@odata.nextLink", next.ToString());
            }
            w.WriteStartArray("value");
            foreach (var g in groups.Skip(offset).Take(size)) WriteGroup(w, g, select);
            w.WriteEndArray();
        });
    }

    private static Task UserMemberGroupsAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller, string id)
    {
        var user = caller.Directory.FindUser(id);
        if (user is null || user.Tenant != caller.User.Tenant)
            return GraphResponses.FailAsync(ctx, rt, Route, 404, "Request_ResourceNotFound", $"Resource '{id}' does not exist or one of its queried reference-property objects are not present.");
        if (user != caller.User && !caller.HasAny(GraphPermissions.ReadDirectory))
            return GraphResponses.FailAsync(ctx, rt, Route, 403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.");
        return MemberGroupsAsync(ctx, rt, caller, user);
    }

    private static async Task MemberGroupsAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller, User user)
    {
        var body = await GraphResponses.ReadBodyAsync(ctx);
        if (body is null || !body.Value.TryGetProperty("securityEnabledOnly", out var flag) || flag.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            await GraphResponses.FailAsync(ctx, rt, Route, 400, "Request_BadRequest", "The request body must be a JSON object with a boolean 'securityEnabledOnly'.");
            return;
        }
        var ids = GraphResponses.MemberGroupIds(user, flag.GetBoolean());
        if (ids.Count > MemberGroupsLimit)
        {
            await GraphResponses.FailAsync(ctx, rt, Route, 400, "Directory_ResultSizeLimitExceeded", "Request results in a result set whose size exceeds the limit. Use transitiveMemberOf instead.");
            return;
        }
        var b = RequestIds.BaseUrl(ctx);
        await GraphResponses.WriteAsync(ctx, false, w =>
        {
            w.WriteString("@odata.context", $"{b}v1.0/$metadata#Collection(Edm.String)");
            w.WriteStartArray("value");
            foreach (var id in ids) w.WriteStringValue(id);
            w.WriteEndArray();
        });
    }

    private static async Task GetByIdsAsync(HttpContext ctx, EmulatorRuntime rt, GraphCaller caller)
    {
        var body = await GraphResponses.ReadBodyAsync(ctx);
        if (body is null || !body.Value.TryGetProperty("ids", out var ids) || ids.ValueKind != JsonValueKind.Array)
        {
            await GraphResponses.FailAsync(ctx, rt, Route, 400, "Request_BadRequest", "The request body must be a JSON object with an 'ids' array.");
            return;
        }
        if (ids.GetArrayLength() > 1000)
        {
            await GraphResponses.FailAsync(ctx, rt, Route, 400, "Request_BadRequest", "Too many ids: at most 1000 per request.");
            return;
        }
        var types = body.Value.TryGetProperty("types", out var t) && t.ValueKind == JsonValueKind.Array
            ? t.EnumerateArray().Select(x => x.GetString() ?? "").ToHashSet(StringComparer.OrdinalIgnoreCase)
            : null;
        var b = RequestIds.BaseUrl(ctx);
        await GraphResponses.WriteAsync(ctx, false, w =>
        {
            w.WriteString("@odata.context", $"{b}v1.0/$metadata#directoryObjects");
            w.WriteStartArray("value");
            foreach (var id in ids.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString()! : ""))
            {
                if (caller.Directory.FindGroup(id) is { } group && group.Seed.TenantId.Equals(caller.User.Tenant.Id, StringComparison.OrdinalIgnoreCase)
                    && (types is null || types.Contains("group")))
                    WriteGroup(w, group, "");
                else if (caller.Directory.FindUserById(id) is { } user && user.Tenant == caller.User.Tenant && (types is null || types.Contains("user")))
                {
                    w.WriteStartObject();
                    w.WriteString("@odata.type", "#microsoft.graph.user");
                    GraphUserProperties.Write(w, user.Seed, GraphUserProperties.Default);
                    w.WriteEndObject();
                }
            }
            w.WriteEndArray();
        });
    }

    private static void WriteGroup(Utf8JsonWriter w, Group g, string select)
    {
        var wanted = select.Length == 0 ? null : select.Split(',', StringSplitOptions.TrimEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
        bool Want(string name) => wanted is null || wanted.Contains(name);
        var s = g.Seed;
        w.WriteStartObject();
        w.WriteString("@odata.type", "#microsoft.graph.group");
        if (Want("id")) w.WriteString("id", g.Id);
        if (Want("deletedDateTime")) w.WriteNull("deletedDateTime");
        if (Want("description")) w.WriteString("description", s.Description);
        if (Want("displayName")) w.WriteString("displayName", s.DisplayName);
        if (Want("groupTypes"))
        {
            w.WriteStartArray("groupTypes");
            if (s.MailEnabled && !s.SecurityEnabled) w.WriteStringValue("Unified");
            w.WriteEndArray();
        }
        if (Want("mail")) w.WriteString("mail", s.Mail);
        if (Want("mailEnabled")) w.WriteBoolean("mailEnabled", s.MailEnabled);
        if (Want("mailNickname")) w.WriteString("mailNickname", s.MailNickname ?? s.DisplayName.Replace(" ", "", StringComparison.Ordinal).ToLowerInvariant());
        if (Want("securityEnabled")) w.WriteBoolean("securityEnabled", s.SecurityEnabled);
        w.WriteEndObject();
    }
}
