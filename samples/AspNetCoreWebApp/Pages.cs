using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Gatehouse.Samples.WebApp;

/// <summary>The sample's two pages, as plain HTML: who is signed in, and the claims Gatehouse's id_token and userinfo gave.</summary>
internal static class Pages
{
    public static IResult Home(HttpContext context) => context.User.Identity?.IsAuthenticated == true
        ? Page("Gatehouse sample", $"<p>Signed in as <strong>{Html(context.User.Identity.Name)}</strong>.</p><p><a href=\"/claims\">Your claims</a></p>{LogoutForm(context)}")
        : Page("Gatehouse sample", "<p>You are not signed in.</p><p><a href=\"/login\">Sign in</a></p>");

    public static IResult Claims(HttpContext context)
    {
        var rows = new StringBuilder();
        foreach (var claim in context.User.Claims)
            rows.Append($"<tr><th scope=\"row\">{Html(claim.Type)}</th><td>{Html(claim.Value)}</td></tr>");
        return Page("Your claims", $"<table><caption>Claims from Gatehouse</caption>{rows}</table>{LogoutForm(context)}");
    }

    private static string LogoutForm(HttpContext context)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return $"<form method=\"post\" action=\"/logout\"><input type=\"hidden\" name=\"{Html(tokens.FormFieldName)}\" value=\"{Html(tokens.RequestToken)}\"><button type=\"submit\">Sign out</button></form>";
    }

    private static IResult Page(string title, string body) => Results.Content(
        $"<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{Html(title)}</title></head><body><h1>{Html(title)}</h1>{body}</body></html>",
        "text/html; charset=utf-8");

    private static string Html(string? text) => HtmlEncoder.Default.Encode(text ?? "");
}
