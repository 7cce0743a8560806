using System.Security.Claims;
using Gatehouse.Core.Admin;
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

    /// <summary>The signed-in administrator, named in the audit event of every change this page makes.</summary>
    protected AdminActor Actor => AdminActor.Administrator(
        User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("No administrator is signed in."),
        User.FindFirstValue(ClaimTypes.Name) ?? "") with
    {
        Ip = HttpContext.Connection.RemoteIpAddress?.ToString(),
        UserAgent = Request.Headers.UserAgent.ToString() is { Length: > 0 } ua ? ua : null,
    };

    /// <summary>An admin layer refusal shown beside the form fields it names (<paramref name="fieldOf"/> maps a field to the form's).</summary>
    protected void ShowProblems(AdminException refusal, Func<string, string>? fieldOf = null)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        if (refusal.Problems.Count == 0)
            Errors[""] = refusal.Message;
        foreach (var problem in refusal.Problems)
        {
            var field = fieldOf?.Invoke(problem.Field) ?? problem.Field;
            Errors[field] = Errors.TryGetValue(field, out var earlier) ? earlier + "; " + problem.Message : problem.Message;
        }
    }
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
