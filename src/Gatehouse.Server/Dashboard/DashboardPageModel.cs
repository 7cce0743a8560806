using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Gatehouse.Server.Dashboard;

/// <summary>A dashboard page: field errors shown beside their field, and a one-time notice after a redirect.</summary>
public abstract class DashboardPageModel : PageModel
{
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public string? ErrorFor(string field) => Errors.GetValueOrDefault(field);

    /// <summary>For aria-invalid: "true" or absent.</summary>
    public string? Invalid(string field) => Errors.ContainsKey(field) ? "true" : null;

    /// <summary>For aria-describedby: the error paragraph's id, when there is an error.</summary>
    public string? DescribedBy(string field, string? hint = null) =>
        Errors.ContainsKey(field) ? (hint is null ? field + "-error" : $"{field}-error {hint}") : hint;

    protected void Notice(string text) => TempData["Notice"] = text;
}

/// <summary><c>&lt;field-error for="name"/&gt;</c>: the page's error for that field, with the id its input points at.</summary>
[HtmlTargetElement("field-error", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FieldErrorTagHelper : TagHelper
{
    public string For { get; set; } = "";

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext? ViewContext { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (ViewContext?.ViewData.Model is not DashboardPageModel page || page.ErrorFor(For) is not { } message)
        {
            output.SuppressOutput();
            return;
        }
        output.TagName = "p";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", "field-error");
        output.Attributes.SetAttribute("id", For + "-error");
        output.Content.SetContent(message);
    }
}
