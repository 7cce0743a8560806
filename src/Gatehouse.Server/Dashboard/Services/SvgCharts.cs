using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;

namespace Gatehouse.Server.Dashboard.Services;

/// <summary>One series of a chart: a name and one value per bucket (or per category).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<double> Values);

/// <summary>
/// Inline SVG charts (no script, no CDN): stacked bars over time and grouped horizontal bars. Each chart is an image with a
/// title and description for screen readers; the page shows the same numbers as a table beside it.
/// </summary>
public static class SvgCharts
{
    public static readonly IReadOnlyList<string> Palette = ["#0b5cad", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d"];

    private const int Width = 720;
    private const int Height = 240;
    private const int Left = 44;
    private const int Right = 12;
    private const int Top = 12;
    private const int Bottom = 30;

    public static string Color(int index) => Palette[index % Palette.Count];

    /// <summary>Bars per time bucket, each stacked by series.</summary>
    public static IHtmlContent StackedBars(string id, string title, string description, IReadOnlyList<string> buckets, IReadOnlyList<ChartSeries> series)
    {
        var svg = Open(id, title, description, Width, Height);
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var totals = buckets.Select((_, i) => series.Sum(s => s.Values[i])).ToList();
        var max = NiceMax(totals.DefaultIfEmpty(0).Max());
        Axis(svg, max, plotH);
        var slot = plotW / (double)Math.Max(1, buckets.Count);
        var barW = Math.Max(2, slot * 0.7);
        for (var i = 0; i < buckets.Count; i++)
        {
            var x = Left + i * slot + (slot - barW) / 2;
            var y = (double)Top + plotH;
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[i];
                if (value <= 0)
                    continue;
                var h = value / max * plotH;
                y -= h;
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{barW:0.#}\" height=\"{h:0.#}\" fill=\"{Color(s)}\"><title>{Encode(buckets[i])}: {Encode(series[s].Name)} {value:0.##}</title></rect>");
            }
        }
        var every = Math.Max(1, (int)Math.Ceiling(buckets.Count / 8.0));
        for (var i = 0; i < buckets.Count; i += every)
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left + i * slot + slot / 2:0.#}\" y=\"{Height - 10}\" text-anchor=\"middle\" font-size=\"11\" fill=\"#4a5360\">{Encode(buckets[i])}</text>");
        return Close(svg);
    }

    /// <summary>Horizontal bars: one group per category, one bar per series (e.g. p50 and p95 per connection).</summary>
    public static IHtmlContent GroupedBars(string id, string title, string description, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, string unit)
    {
        const int barH = 14;
        const int labelW = 170;
        var groupH = series.Count * (barH + 3) + 12;
        var height = Math.Max(60, categories.Count * groupH + Top + 24);
        var svg = Open(id, title, description, Width, height);
        var plotW = Width - labelW - 80;
        var max = NiceMax(series.SelectMany(s => s.Values).DefaultIfEmpty(0).Max());
        for (var c = 0; c < categories.Count; c++)
        {
            var y0 = Top + c * groupH;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW - 8}\" y=\"{y0 + groupH / 2 - 2}\" text-anchor=\"end\" font-size=\"12\" fill=\"#1b1f24\">{Encode(categories[c])}</text>");
            for (var s = 0; s < series.Count; s++)
            {
                var value = series[s].Values[c];
                var w = value / max * plotW;
                var y = y0 + s * (barH + 3);
                svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{labelW}\" y=\"{y}\" width=\"{Math.Max(1, w):0.#}\" height=\"{barH}\" fill=\"{Color(s)}\"><title>{Encode(categories[c])} {Encode(series[s].Name)}: {value:0} {unit}</title></rect>");
                svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{labelW + Math.Max(1, w) + 4:0.#}\" y=\"{y + barH - 3}\" font-size=\"11\" fill=\"#1b1f24\">{Encode(series[s].Name)} {value:0} {unit}</text>");
            }
        }
        return Close(svg);
    }

    private static StringBuilder Open(string id, string title, string description, int width, int height) =>
        new StringBuilder().Append(CultureInfo.InvariantCulture,
            $"<svg id=\"{id}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" xmlns=\"http://www.w3.org/2000/svg\">")
            .Append(CultureInfo.InvariantCulture, $"<title id=\"{id}-title\">{Encode(title)}</title><desc id=\"{id}-desc\">{Encode(description)}</desc>");

    private static HtmlString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static void Axis(StringBuilder svg, double max, int plotH)
    {
        foreach (var fraction in new[] { 0.0, 0.5, 1.0 })
        {
            var y = Top + plotH - fraction * plotH;
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#c9ced6\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\" font-size=\"11\" fill=\"#4a5360\">{max * fraction:0.#}</text>");
        }
    }

    private static double NiceMax(double value)
    {
        if (value <= 0)
            return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
                return step * magnitude;
        }
        return 10 * magnitude;
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
