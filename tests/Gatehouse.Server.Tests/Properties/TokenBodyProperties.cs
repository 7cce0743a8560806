using System.Text;
using System.Text.Json;
using FsCheck.Xunit;
using Gatehouse.Server.Authentication;

namespace Gatehouse.Server.Tests.Properties;

/// <summary>The token endpoint's body parser: any bytes are a parsed request or an Auth0-shaped refusal, never an exception.</summary>
public class TokenBodyProperties
{
    private static readonly string?[] ContentTypes =
    [
        "application/x-www-form-urlencoded", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
        "application/x-www-form-urlencoded; charset=latin1", "text/plain", "multipart/form-data; boundary=x", "", null, ";;;", "application/",
    ];

    private static readonly string?[] Authorizations =
    [
        null, "", "Basic", "Basic ", "Basic !!!", "Basic " + Convert.ToBase64String("id:secret"u8), "Basic " + Convert.ToBase64String("id%00:x"u8),
        "Basic " + Convert.ToBase64String([0xC3, 0x28, 0x3A, 0x78]), "Basic " + Convert.ToBase64String(":nothing"u8), "Bearer x", "basic aWQ6cw==",
    ];

    [Property(MaxTest = 2000)]
    public bool Any_body_is_a_request_or_an_auth0_error(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var bytes = HostileText.Bytes(random);
        var (request, error) = TokenRequestReader.Parse(bytes, ContentTypes[random.Next(ContentTypes.Length)], Authorizations[random.Next(Authorizations.Length)]);
        return (request is null) != (error is null)
            && (error is null || (error.Status is 400 or 401 && error.Error.Length > 0 && error.Description.Length > 0));
    }

    [Property(MaxTest = 1000)]
    public bool Any_form_of_random_text_is_a_request_or_an_auth0_error(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var text = string.Join('&', Enumerable.Range(0, random.Next(6)).Select(_ => HostileText.Text(random, 4) + (random.Next(3) > 0 ? "=" + HostileText.Text(random, 6) : "")));
        var (request, error) = TokenRequestReader.Parse(Encoding.UTF8.GetBytes(text), "application/x-www-form-urlencoded", null);
        return (request is null) != (error is null) && (error is null || error.Status == 400);
    }

    [Property(MaxTest = 1000)]
    public bool Well_formed_forms_round_trip(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = random.Next(8); i > 0; i--)
            parameters.TryAdd("p" + random.Next(1000), Printable(random));
        var body = string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        var (request, error) = TokenRequestReader.Parse(Encoding.UTF8.GetBytes(body), "application/x-www-form-urlencoded", null);
        return error is null && request!.Parameters.Count == parameters.Count && parameters.All(p => request.Parameters[p.Key] == p.Value);
    }

    [Property(MaxTest = 1000)]
    public bool Well_formed_json_round_trips_and_a_repeated_name_is_refused(Guid seed)
    {
        var random = new Random(seed.GetHashCode());
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = random.Next(1, 8); i > 0; i--)
            parameters.TryAdd("p" + random.Next(1000), Printable(random));
        var json = JsonSerializer.Serialize(parameters);
        var (request, error) = TokenRequestReader.Parse(Encoding.UTF8.GetBytes(json), "application/json", null);
        var repeated = json[..^1] + "," + JsonSerializer.Serialize(parameters.Keys.First()) + ":\"again\"}";
        var (_, repeatedError) = TokenRequestReader.Parse(Encoding.UTF8.GetBytes(repeated), "application/json", null);
        return error is null && parameters.All(p => request!.Parameters[p.Key] == p.Value)
            && repeatedError is { Status: 400, Error: "invalid_request" } && repeatedError.Description.Contains("more than once", StringComparison.Ordinal);
    }

    /// <summary>Text any identifier may hold: letters (some non-ASCII), digits and punctuation, no control or invisible characters.</summary>
    private static string Printable(Random random)
    {
        const string alphabet = "abcXYZ019@.-_+&=%?/ äßé😀ａ＠";
        var builder = new StringBuilder();
        for (var i = random.Next(1, 20); i > 0; i--)
        {
            var index = random.Next(alphabet.Length);
            builder.Append(char.IsHighSurrogate(alphabet[index]) ? alphabet.Substring(index, 2) : char.IsLowSurrogate(alphabet[index]) ? "x" : alphabet[index].ToString());
        }
        return builder.ToString();
    }
}
