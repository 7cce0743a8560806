using System.Text.Json;
using Gatehouse.Core.Admin;
using Gatehouse.Server.Login;
using Gatehouse.Server.Shared;

namespace Gatehouse.Server.Management;

/// <summary>
/// GET|PATCH /api/v2/branding (read:branding, update:branding): the colours and logo of the hosted login page. Colours
/// must be hex (<c>#rgb</c>, <c>#rrggbb</c>) and URLs absolute https, checked here before anything is stored, so the
/// page never has to guess what a value means; null removes a member.
/// </summary>
internal static class BrandingApi
{
    private static readonly string[] Fields = ["colors", "logo_url", "favicon_url", "font"];
    private static readonly string[] UrlFields = ["logo_url", "favicon_url"];

    public static void MapBranding(this RouteGroupBuilder api)
    {
        api.MapGet("/branding", async (HttpContext context, BrandingAdmin admin) =>
            Results.Json(await admin.GetAsync(context.RequestAborted))).WithSummary("Get branding settings").WithTags("Branding");

        api.MapPatch("/branding", async (HttpContext context, BrandingAdmin admin) =>
        {
            var body = (await JsonBody.ReadAsync(context.Request)).AllowOnly(Fields);
            foreach (var url in UrlFields)
                CheckUrl(body.Raw(url), url);
            if (body.Raw("font") is { ValueKind: not JsonValueKind.Null } font)
            {
                if (font.ValueKind != JsonValueKind.Object || font.EnumerateObject().Any(p => p.Name != "url"))
                    throw ManagementException.BadBody("Payload validation error: 'font' must be an object with a url.");
                CheckUrl(font.TryGetProperty("url", out var fontUrl) ? fontUrl : null, "font.url");
            }
            var stored = await admin.GetAsync(context.RequestAborted);
            var colors = body.Raw("colors") is { ValueKind: not JsonValueKind.Null } patch ? Colors(stored, patch) : body.Raw("colors");
            var merged = JsonNodes.MergeObjects(stored, colors is { } c ? With(body.Root, "colors", c) : body.Root);
            return Results.Json(await admin.UpdateAsync(context.AdminActor(), merged, context.RequestAborted));
        }).WithSummary("Update branding settings").WithTags("Branding");
    }

    /// <summary>The stored colours with the patch's set (null removes one); only primary and page_background, as hex colours.</summary>
    private static JsonElement Colors(JsonElement stored, JsonElement patch)
    {
        if (patch.ValueKind != JsonValueKind.Object)
            throw ManagementException.BadBody("Payload validation error: 'colors' must be an object.");
        foreach (var colour in patch.EnumerateObject())
        {
            if (colour.Name is not ("primary" or "page_background"))
                throw ManagementException.BadBody($"Payload validation error: 'Additional properties not allowed: {colour.Name}' on property colors.");
            if (colour.Value.ValueKind != JsonValueKind.Null && !LoginBranding.IsHexColour(colour.Value.ValueKind == JsonValueKind.String ? colour.Value.GetString() : null))
                throw ManagementException.BadBody($"Payload validation error: 'colors.{colour.Name}' must be a hex colour such as #0b5cad.");
        }
        return JsonNodes.MergeObjects(stored.TryGetProperty("colors", out var current) ? current : null, patch);
    }

    private static void CheckUrl(JsonElement? value, string name)
    {
        if (value is null or { ValueKind: JsonValueKind.Null })
            return;
        if (value.Value.ValueKind != JsonValueKind.String || LoginBranding.HttpsUrl(value.Value.GetString()) is null)
            throw ManagementException.BadBody($"Payload validation error: '{name}' must be an absolute https URL.");
    }

    private static JsonElement With(JsonElement body, string name, JsonElement value)
    {
        var copy = System.Text.Json.Nodes.JsonNode.Parse(body.GetRawText())!.AsObject();
        copy[name] = System.Text.Json.Nodes.JsonNode.Parse(value.GetRawText());
        return JsonSerializer.SerializeToElement(copy);
    }
}
