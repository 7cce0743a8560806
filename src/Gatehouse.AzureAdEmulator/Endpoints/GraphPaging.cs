using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>Page size from $top and the position encoded in an opaque $skiptoken.</summary>
internal static class GraphPaging
{
    private const string Prefix = "emu:";

    /// <summary>(offset, size) or null when $top/$skiptoken is invalid.</summary>
    public static (int Offset, int Size)? Read(HttpRequest request, int defaultSize, bool aadGraphToken)
    {
        var size = defaultSize;
        var top = request.Query["$top"].ToString();
        if (top.Length > 0 && (!int.TryParse(top, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > 999)) return null;
        var skip = request.Query["$skiptoken"].ToString();
        if (skip.Length == 0) return (0, size);
        var offset = aadGraphToken ? FromAadGraph(skip) : FromGraph(skip);
        return offset is null ? null : (offset.Value, size);
    }

    /// <summary>Microsoft Graph style: an opaque base64url string.</summary>
    public static string GraphToken(int offset) =>
        System.Buffers.Text.Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Azure AD Graph style: X'hex'.</summary>
    public static string AadGraphToken(int offset) =>
        "X'" + Convert.ToHexString(Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture))) + "'";

    private static int? FromGraph(string token)
    {
        try
        {
            return Parse(Encoding.ASCII.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(token)));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static int? FromAadGraph(string token)
    {
        if (!token.StartsWith("X'", StringComparison.Ordinal) || !token.EndsWith('\'')) return null;
        try
        {
            return Parse(Encoding.ASCII.GetString(Convert.FromHexString(token[2..^1])));
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static int? Parse(string text) =>
        text.StartsWith(Prefix, StringComparison.Ordinal)
        && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
