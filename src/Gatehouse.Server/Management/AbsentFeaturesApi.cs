using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;

namespace Gatehouse.Server.Management;

/// <summary>
/// Management API features Gatehouse does not have, answered the way Auth0 answers for a tenant that has none of them
/// (empty lists in the endpoint's own shape, 404 for an unconfigured singleton), so tools that probe them
/// (auth0-deploy-cli, the SDKs) carry on. Writes to them are 403 feature_not_enabled and change nothing.
/// Any valid Management API token may read them: there is nothing to protect.
/// </summary>
internal static class AbsentFeaturesApi
{
    /// <summary>List endpoints: path and the name of their items in the paged (include_totals) shape.</summary>
    private static readonly (string Path, string Items)[] EmptyLists =
    [
        ("/rules", "rules"), ("/hooks", "hooks"), ("/organizations", "organizations"),
        ("/custom-domains", "custom_domains"), ("/log-streams", "log_streams"), ("/guardian/factors", "factors"),
        ("/self-service-profiles", "self_service_profiles"), ("/network-acls", "network_acls"), ("/event-streams", "eventStreams"),
        ("/forms", "forms"), ("/flows", "flows"), ("/flows/vault/connections", "connections"),
        ("/user-attribute-profiles", "user_attribute_profiles"), ("/connection-profiles", "connection_profiles"),
        ("/token-exchange-profiles", "token_exchange_profiles"), ("/actions/modules", "modules"),
        ("/rules-configs", "rules_configs"), ("/resource-servers/{id}/scopes", "scopes"), ("/phone/templates", "templates"),
    ];

    /// <summary>Singletons a tenant has only once configured: 404 until then, as Auth0 says.</summary>
    private static readonly (string Path, string Message)[] Unconfigured =
    [
        ("/emails/provider", "There is no email provider configured for this tenant."),
        ("/email-templates/{name}", "The template does not exist."),
        ("/branding/themes/default", "There was an error retrieving the default theme."),
        ("/branding/templates/universal-login", "The Universal Login template does not exist."),
        ("/custom-domains/{id}", "The custom domain does not exist."),
        ("/hooks/{id}", "The hook does not exist."),
        ("/rules/{id}", "The rule does not exist."),
        ("/organizations/{id}", "The organization does not exist."),
        ("/actions/actions/{id}", "The action does not exist."),
    ];

    /// <summary>The writes refused with feature_not_enabled on <see cref="WritePaths"/>.</summary>
    public static readonly IReadOnlyList<string> WriteMethods = ["POST", "PATCH", "PUT", "DELETE"];

    /// <summary>Paths read here (the scope matrix opens them to any Management API scope).</summary>
    public static IEnumerable<string> ReadPaths => WritePaths.Append("/actions/triggers");

    /// <summary>Paths whose writes are refused here.</summary>
    public static IEnumerable<string> WritePaths =>
        EmptyLists.Select(l => l.Path).Concat(Unconfigured.Select(u => u.Path)).Append("/actions/actions");

    public static void MapAbsentFeatures(this RouteGroupBuilder api)
    {
        foreach (var (path, items) in EmptyLists)
        {
            api.MapGet(path, (HttpContext context) => EmptyList(context.Request, items))
                .WithSummary("Not available in Gatehouse: always empty").WithTags("Absent features");
        }
        foreach (var (path, message) in Unconfigured)
        {
            api.MapGet(path, () => ManagementResults.Error(404, message, "inexistent_entity"))
                .WithSummary("Not available in Gatehouse: never configured").WithTags("Absent features");
        }

        // Shapes that are not plain lists.
        api.MapGet("/actions/actions", (HttpContext context) => Results.Json(new JsonObject
        {
            ["actions"] = new JsonArray(), ["total"] = 0, ["page"] = 0, ["per_page"] = Paging.From(context.Request).PerPage,
        }, JsonDefaults.Options)).WithSummary("Not available in Gatehouse: always empty").WithTags("Absent features");
        api.MapGet("/actions/triggers", () => Results.Json(new JsonObject { ["triggers"] = new JsonArray() }, JsonDefaults.Options))
            .WithSummary("Not available in Gatehouse: always empty").WithTags("Absent features");
        api.MapGet("/clients/{id}/credentials", async (string id, HttpContext context, IGatehouseStore store) =>
            await store.GetClientAsync(id, context.RequestAborted) is null
                ? ManagementResults.Error(404, "The client does not exist", "inexistent_client")
                : Results.Json(new JsonArray(), JsonDefaults.Options))
            .WithSummary("Client credentials (private_key_jwt): none in Gatehouse").WithTags("Absent features");

        foreach (var path in WritePaths)
            api.MapMethods(path, WriteMethods, NotEnabled).ExcludeFromDescription();
    }

    private static IResult EmptyList(HttpRequest request, string items)
    {
        if (Checkpoint.Requested(request))
            return Checkpoint.From(request).Result(items, [], 0);
        return Paging.From(request).Result(items, [], 0);
    }

    private static IResult NotEnabled() =>
        ManagementResults.Error(403, "This feature is not enabled for this tenant.", "feature_not_enabled");
}
