using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Gatehouse.Core.Storage;
using Gatehouse.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Server.Management;

/// <summary>Offset paging as Auth0 does it: page/per_page/include_totals; a bare array unless include_totals.</summary>
internal sealed record Paging(int Page, int PerPage, bool IncludeTotals)
{
    public const int MaxPerPage = 100;

    public PageRequest Request => new(Page, PerPage);

    public static Paging From(HttpRequest request, int defaultPerPage = 50) => new(
        QueryInt(request, "page", 0, int.MaxValue / MaxPerPage) ?? 0,
        QueryInt(request, "per_page", 1, MaxPerPage) ?? defaultPerPage,
        QueryBool(request, "include_totals") ?? false);

    /// <summary>Whether any paging parameter was sent (else lists are the whole, as a bare array).</summary>
    public static bool Requested(HttpRequest request) =>
        request.Query.ContainsKey("page") || request.Query.ContainsKey("per_page") || request.Query.ContainsKey("include_totals");

    public IResult Result(string itemsName, IReadOnlyList<JsonNode> items, int total)
    {
        var array = new JsonArray([.. items]);
        if (!IncludeTotals)
            return Results.Json(array, JsonDefaults.Options);
        return Results.Json(new JsonObject
        {
            ["start"] = Page * PerPage,
            ["limit"] = PerPage,
            ["length"] = items.Count,
            ["total"] = total,
            [itemsName] = array,
        }, JsonDefaults.Options);
    }

    public static int? QueryInt(HttpRequest request, string name, int min, int max)
    {
        var values = request.Query[name];
        if (values.Count == 0)
            return null;
        if (values.Count > 1 || !int.TryParse(values[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            throw ManagementException.BadQuery($"Query validation error: 'Expected type integer but found type string' on property {name}.");
        if (value < min || value > max)
            throw ManagementException.BadQuery($"Query validation error: 'Value {value} is outside {min}..{max}' on property {name}.");
        return value;
    }

    public static bool? QueryBool(HttpRequest request, string name)
    {
        var values = request.Query[name];
        if (values.Count == 0)
            return null;
        return values.Count == 1 && bool.TryParse(values[0], out var value)
            ? value
            : throw ManagementException.BadQuery($"Query validation error: 'Expected type boolean but found type string' on property {name}.");
    }
}

/// <summary>
/// Checkpoint paging as Auth0 does it: <c>take</c> items from <c>from</c> (the <c>next</c> of the previous answer, opaque
/// to callers) as <c>{items, next}</c>; <c>next</c> is left out on the last page.
/// </summary>
internal sealed record Checkpoint(int Skip, int Take)
{
    private const string Prefix = "gh1:";

    public PageRequest Request => PageRequest.Window(Skip, Take);

    public static bool Requested(HttpRequest request) => request.Query.ContainsKey("from") || request.Query.ContainsKey("take");

    public static Checkpoint From(HttpRequest request, int defaultTake = 50, int maxTake = 100)
    {
        var take = Paging.QueryInt(request, "take", 1, maxTake) ?? defaultTake;
        var from = request.Query["from"].ToString();
        return new(from.Length == 0 ? 0 : Decode(from), take);
    }

    public IResult Result(string itemsName, IReadOnlyList<JsonNode> items, int total)
    {
        var json = new JsonObject { [itemsName] = new JsonArray([.. items]) };
        if (Skip + items.Count < total && items.Count > 0)
            json["next"] = Encode(Skip + items.Count);
        return Results.Json(json, JsonDefaults.Options);
    }

    private static string Encode(int skip) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(Prefix + skip.ToString(CultureInfo.InvariantCulture)));

    private static int Decode(string from)
    {
        try
        {
            var text = from.Length <= 64 ? Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(from)) : "";
            if (text.StartsWith(Prefix, StringComparison.Ordinal)
                && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var skip))
                return skip;
        }
        catch (FormatException)
        {
        }
        throw ManagementException.BadQuery("Query validation error: 'Invalid checkpoint: use the next value of a previous answer' on property from.");
    }
}

/// <summary><c>fields</c> + <c>include_fields</c> on GETs: keep (or drop) the named top-level fields.</summary>
internal static class FieldSelection
{
    public static JsonNode Apply(JsonObject item, HttpRequest request)
    {
        var fields = request.Query["fields"].ToString();
        if (fields.Length == 0)
            return item;
        var names = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
        var include = Paging.QueryBool(request, "include_fields") ?? true;
        foreach (var name in item.Select(p => p.Key).ToList())
        {
            if (names.Contains(name) != include)
                item.Remove(name);
        }
        return item;
    }

    public static IReadOnlyList<JsonNode> Apply(IEnumerable<JsonObject> items, HttpRequest request) =>
        items.Select(i => Apply(i, request)).ToList();
}
