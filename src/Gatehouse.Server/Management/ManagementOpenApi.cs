using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Tenancy;
using Gatehouse.Server.Hosting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing.Patterns;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>
/// The Management API described from its own routes: an OpenAPI 3.0 document at /api/v2/openapi.json and a
/// self-contained reference page at /api/v2/reference (no scripts, no external assets). Both are public, like
/// Auth0's published reference; every operation lists the scopes it needs.
/// </summary>
internal static class ManagementOpenApi
{
    private const string Prefix = "/api/v2/";

    /// <summary>Query parameters of the list endpoints (the routes do not declare them).</summary>
    private static readonly Dictionary<string, string[]> QueryParameters = new(StringComparer.Ordinal)
    {
        ["GET /connections"] = ["strategy", "name", "fields", "include_fields", "page", "per_page", "include_totals", "from", "take"],
        ["GET /connections/{id}"] = ["fields", "include_fields"],
        ["GET /connections/{id}/clients"] = ["from", "take"],
        ["GET /clients"] = ["fields", "include_fields", "page", "per_page", "include_totals", "from", "take", "is_global", "is_first_party", "app_type"],
        ["GET /clients/{id}"] = ["fields", "include_fields"],
        ["GET /resource-servers"] = ["identifiers", "page", "per_page", "include_totals", "from", "take"],
        ["GET /client-grants"] = ["client_id", "audience", "page", "per_page", "include_totals", "from", "take"],
        ["GET /users"] = ["q", "search_engine", "connection", "sort", "fields", "include_fields", "page", "per_page", "include_totals"],
        ["GET /users/{id}"] = ["fields", "include_fields"],
        ["GET /users-by-email"] = ["email", "fields", "include_fields"],
        ["GET /users/{id}/logs"] = ["sort", "page", "per_page", "include_totals"],
        ["GET /logs"] = ["q", "search", "sort", "fields", "include_fields", "page", "per_page", "include_totals", "from", "take"],
        ["GET /logs/{id}"] = ["fields", "include_fields"],
        ["GET /tenants/settings"] = ["fields", "include_fields"],
        ["GET /user-blocks"] = ["identifier", "consider_brute_force_enablement"],
        ["DELETE /user-blocks"] = ["identifier"],
        ["GET /user-blocks/{id}"] = ["consider_brute_force_enablement"],
    };

    public static void MapManagementReference(this IEndpointRouteBuilder routes)
    {
        routes.MapGet(Prefix + "openapi.json", (EndpointDataSource endpoints, TenantIssuer issuer) =>
            Results.Json(Document(Operations(endpoints), issuer.Issuer), JsonDefaults.Options)).ExcludeFromDescription();
        routes.MapGet(Prefix + "reference", (EndpointDataSource endpoints) =>
            Results.Content(Page(Operations(endpoints)), "text/html; charset=utf-8")).ExcludeFromDescription();
    }

    private sealed record Operation(string Method, string Path, string Tag, string Summary, IReadOnlyList<string> Scopes, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters);

    private static List<Operation> Operations(EndpointDataSource source) =>
        source.Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(Prefix, StringComparison.Ordinal) == true
                && e.Metadata.GetMetadata<IExcludeFromDescriptionMetadata>() is not { ExcludeFromDescription: true }
                && e.Metadata.GetMetadata<RequiredScopes>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(method =>
            {
                var path = "/" + e.RoutePattern.RawText![Prefix.Length..];
                var tags = e.Metadata.GetMetadata<ITagsMetadata>()?.Tags;
                return new Operation(method, path,
                    tags is { Count: > 0 } ? tags[0] : TagOf(path),
                    e.Metadata.GetMetadata<IEndpointSummaryMetadata>()?.Summary ?? "",
                    e.Metadata.GetMetadata<RequiredScopes>()!.AnyOf,
                    e.RoutePattern.Parameters.Select(p => p.Name).ToList(),
                    QueryParameters.GetValueOrDefault($"{method} {path}") ?? []);
            }))
            .OrderBy(o => o.Tag, StringComparer.Ordinal).ThenBy(o => o.Path, StringComparer.Ordinal).ThenBy(o => MethodOrder(o.Method))
            .ToList();

    private static string TagOf(string path) => path.Split('/', StringSplitOptions.RemoveEmptyEntries)[0] switch
    {
        "users-by-email" => "users",
        var first => first,
    };

    private static int MethodOrder(string method) => Array.IndexOf(["GET", "POST", "PUT", "PATCH", "DELETE"], method);

    private static JsonObject Document(List<Operation> operations, string issuer)
    {
        var paths = new JsonObject();
        foreach (var group in operations.GroupBy(o => o.Path))
        {
            var item = new JsonObject();
            foreach (var operation in group)
            {
                var parameters = new JsonArray();
                foreach (var name in operation.PathParameters)
                    parameters.Add(new JsonObject { ["name"] = name, ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } });
                foreach (var name in operation.QueryParameters)
                    parameters.Add(new JsonObject { ["name"] = name, ["in"] = "query", ["required"] = name == "email", ["schema"] = new JsonObject { ["type"] = "string" } });
                var responses = new JsonObject
                {
                    [SuccessStatus(operation)] = new JsonObject { ["description"] = "Success" },
                    ["400"] = ErrorResponse("Invalid request: the message names the property"),
                    ["401"] = ErrorResponse("Missing or invalid token"),
                    ["403"] = ErrorResponse($"Insufficient scope, expected any of: {string.Join(',', operation.Scopes)}"),
                    ["404"] = ErrorResponse("Not found"),
                };
                item[operation.Method.ToLowerInvariant()] = new JsonObject
                {
                    ["tags"] = new JsonArray(operation.Tag),
                    ["summary"] = operation.Summary,
                    ["operationId"] = OperationId(operation),
                    ["parameters"] = parameters,
                    ["security"] = new JsonArray(new JsonObject { ["bearerAuth"] = JsonNodes.Array(operation.Scopes) }),
                    ["responses"] = responses,
                };
            }
            paths[group.Key] = item;
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.3",
            ["info"] = new JsonObject
            {
                ["title"] = "Gatehouse Management API v2",
                ["version"] = "2",
                ["description"] = "Auth0's Management API v2 as Gatehouse implements it. Errors are {statusCode, error, message, errorCode}. "
                    + "Bearer tokens come from POST /oauth/token (client_credentials) with audience " + issuer + "api/v2/; any one of an operation's scopes suffices.",
            },
            ["servers"] = new JsonArray(new JsonObject { ["url"] = issuer + "api/v2" }),
            ["paths"] = paths,
            ["components"] = new JsonObject
            {
                ["securitySchemes"] = new JsonObject { ["bearerAuth"] = new JsonObject { ["type"] = "http", ["scheme"] = "bearer", ["bearerFormat"] = "JWT" } },
                ["schemas"] = new JsonObject
                {
                    ["Error"] = new JsonObject
                    {
                        ["type"] = "object",
                        ["required"] = new JsonArray("statusCode", "error", "message"),
                        ["properties"] = new JsonObject
                        {
                            ["statusCode"] = new JsonObject { ["type"] = "integer" },
                            ["error"] = new JsonObject { ["type"] = "string" },
                            ["message"] = new JsonObject { ["type"] = "string" },
                            ["errorCode"] = new JsonObject { ["type"] = "string" },
                        },
                    },
                },
            },
        };
    }

    private static string SuccessStatus(Operation operation) => operation.Method switch
    {
        "POST" when operation.Path.EndsWith("/rotate-secret", StringComparison.Ordinal) => "200",
        "POST" => "201",
        "DELETE" => "204",
        "PATCH" when operation.Path.EndsWith("/clients", StringComparison.Ordinal) => "204",
        _ => "200",
    };

    private static JsonObject ErrorResponse(string description) => new()
    {
        ["description"] = description,
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/Error" } } },
    };

    private static string OperationId(Operation operation) =>
        operation.Method.ToLowerInvariant() + string.Concat(operation.Path.Split('/', '-', '{', '}').Where(p => p.Length > 0)
            .Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static string Page(List<Operation> operations)
    {
        static string H(string text) => WebUtility.HtmlEncode(text);
        var html = new StringBuilder();
        html.Append("""
            <!doctype html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Gatehouse Management API v2 reference</title>
            <style>
            body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1d2330;background:#f7f8fa}
            header{background:#1d2330;color:#fff;padding:1.2rem 2rem}header a{color:#9cc3ff}
            main{display:grid;grid-template-columns:14rem 1fr;gap:2rem;padding:1.5rem 2rem;max-width:78rem}
            nav a{display:block;color:#2454a6;text-decoration:none;padding:.1rem 0}
            section{margin-bottom:2rem}h2{border-bottom:1px solid #d5d9e0;padding-bottom:.3rem}
            .op{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:.6rem .9rem;margin:.5rem 0}
            .m{display:inline-block;min-width:4.2rem;font:600 12px monospace;text-align:center;border-radius:4px;padding:.1rem .3rem;color:#fff;margin-right:.5rem}
            .GET{background:#2f7d4f}.POST{background:#2454a6}.PATCH{background:#a2650b}.PUT{background:#6b4aa6}.DELETE{background:#a8322d}
            code{font:13px monospace;background:#eef1f5;padding:0 .25rem;border-radius:3px}.d{color:#555;font-size:13px}
            </style></head><body>
            <header><h1>Gatehouse Management API v2</h1>
            <p>Auth0's Management API as Gatehouse serves it. Machine-readable: <a href="openapi.json">openapi.json</a>.
            Authenticate with a bearer token from <code>POST /oauth/token</code> (client_credentials, audience <code>…/api/v2/</code>);
            any one of an operation's scopes suffices. Errors: <code>{statusCode, error, message, errorCode}</code>.</p></header>
            <main><nav>
            """);
        var groups = operations.GroupBy(o => o.Tag).ToList();
        foreach (var group in groups)
            html.Append($"<a href=\"#{H(group.Key.Replace(' ', '-'))}\">{H(group.Key)}</a>");
        html.Append("</nav><div>");
        foreach (var group in groups)
        {
            html.Append($"<section id=\"{H(group.Key.Replace(' ', '-'))}\"><h2>{H(group.Key)}</h2>");
            foreach (var operation in group)
            {
                html.Append($"<div class=\"op\"><span class=\"m {operation.Method}\">{operation.Method}</span><code>/api/v2{H(operation.Path)}</code> {H(operation.Summary)}");
                var scopes = operation.Scopes.Count == ManagementScopes.All.Count
                    ? "any Management API scope"
                    : string.Join(", ", operation.Scopes.Select(s => $"<code>{H(s)}</code>"));
                html.Append($"<div class=\"d\">Scopes (any): {scopes}");
                if (operation.QueryParameters.Count > 0)
                    html.Append($"<br>Query: {string.Join(", ", operation.QueryParameters.Select(q => $"<code>{H(q)}</code>"))}");
                html.Append($"<br>Success: {SuccessStatus(operation)}</div></div>");
            }
            html.Append("</section>");
        }
        html.Append("</div></main></body></html>");
        return html.ToString();
    }
}
