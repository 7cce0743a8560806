using System.Globalization;
using System.Net;
using System.Text;
using Gatehouse.Bench.Load.Suite;

namespace Gatehouse.Bench.Load.Report;

/// <summary>
/// A plain SVG (no library): per row, a bar of throughput (ops/s) on the left and bars of p50/p99 latency on the
/// right, each panel on its own linear scale, grouped by section.
/// </summary>
public static class SvgChart
{
    private const int RowHeight = 22;
    private const int LabelWidth = 430;
    private const int PanelWidth = 330;
    private const int Gap = 40;

    public static string Write(SuiteResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var rows = results.Rows;
        var maxRate = Math.Max(1, rows.Max(r => r.Result.PerSecond));
        var maxLatency = Math.Max(1, rows.Max(r => Finite(r.Result.PercentileMs(99))));
        var sections = rows.Select(r => r.Section).Distinct().ToList();
        var height = 70 + (rows.Count * RowHeight) + (sections.Count * 26) + 30;
        var width = LabelWidth + (2 * PanelWidth) + (2 * Gap) + 20;
        var svg = new StringBuilder();
        void A(FormattableString s) => svg.AppendLine(s.ToString(CultureInfo.InvariantCulture));

        A($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">");
        A($"<rect width=\"100%\" height=\"100%\" fill=\"white\"/>");
        A($"<text x=\"10\" y=\"22\" font-size=\"15\" font-weight=\"bold\">Gatehouse benchmark {results.Started:yyyy-MM-dd HH:mm} UTC{(results.Options.Quick ? " (smoke run)" : "")}</text>");
        var rateX = LabelWidth + 10;
        var latX = rateX + PanelWidth + Gap;
        A($"<text x=\"{rateX}\" y=\"48\" font-weight=\"bold\">throughput, ops/s (max {maxRate:F0})</text>");
        A($"<text x=\"{latX}\" y=\"48\" font-weight=\"bold\">latency ms: p50 (dark), p99 (light), scale to {maxLatency:F1}</text>");
        var y = 62;
        foreach (var section in sections)
        {
            y += 18;
            A($"<text x=\"10\" y=\"{y}\" font-weight=\"bold\" fill=\"#333\">{Esc(section)}</text>");
            y += 8;
            foreach (var r in rows.Where(r => r.Section == section))
            {
                var label = $"{r.System}: {r.Scenario}";
                if (label.Length > 64)
                    label = label[..63] + "…";
                var color = r.System switch
                {
                    SuiteRunner.Gatehouse => "#2b6cb0",
                    SuiteRunner.Peer => "#c05621",
                    SuiteRunner.Upstream => "#718096",
                    _ => "#2f855a",
                };
                A($"<text x=\"10\" y=\"{y + 14}\">{Esc(label)}</text>");
                var w = r.Result.PerSecond / maxRate * PanelWidth;
                A($"<rect x=\"{rateX}\" y=\"{y + 3}\" width=\"{Math.Max(1, w):F1}\" height=\"{RowHeight - 6}\" fill=\"{color}\"/>");
                A($"<text x=\"{rateX + Math.Max(1, w) + 4:F1}\" y=\"{y + 14}\">{r.Result.PerSecond:F0}</text>");
                var p50 = Finite(r.Result.PercentileMs(50)) / maxLatency * PanelWidth;
                var p99 = Finite(r.Result.PercentileMs(99)) / maxLatency * PanelWidth;
                A($"<rect x=\"{latX}\" y=\"{y + 3}\" width=\"{Math.Max(1, p99):F1}\" height=\"{RowHeight - 6}\" fill=\"{color}\" fill-opacity=\"0.35\"/>");
                A($"<rect x=\"{latX}\" y=\"{y + 3}\" width=\"{Math.Max(1, p50):F1}\" height=\"{RowHeight - 6}\" fill=\"{color}\"/>");
                A($"<text x=\"{latX + Math.Max(1, p99) + 4:F1}\" y=\"{y + 14}\">{Finite(r.Result.PercentileMs(50)):F1} / {Finite(r.Result.PercentileMs(99)):F1}</text>");
                y += RowHeight;
            }
        }
        svg.AppendLine("</svg>");
        return svg.ToString();
    }

    private static double Finite(double v) => double.IsFinite(v) ? v : 0;

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
