using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Gatehouse.AzureAd.Emulator.Tests.Support;

/// <summary>Raw HTTP against an emulator, over its trusted HTTPS.</summary>
public sealed class StsClient : IDisposable
{
    private readonly HttpClient _http;

    public StsClient(AzureAdEmulator emulator)
    {
        _http = new HttpClient(emulator.CreateTrustingHandler()) { BaseAddress = new Uri(emulator.BaseUrl), Timeout = TimeSpan.FromSeconds(20) };
    }

    public HttpClient Http => _http;

    public Task<Reply> PasswordV1Async(string user, string resource, string clientId = DemoDirectory.NativeAppId, string tenant = DemoDirectory.TenantDomain, string? password = null, params (string, string)[] extra) =>
        PostFormAsync($"{tenant}/oauth2/token",
            [("grant_type", "password"), ("client_id", clientId), ("resource", resource), ("username", user),
             ("password", password ?? DemoDirectory.PasswordOf(user)), ("scope", "openid"), .. extra]);

    public Task<Reply> PasswordV2Async(string user, string scope, string clientId = DemoDirectory.NativeAppId, string tenant = DemoDirectory.TenantDomain, string? password = null, params (string, string)[] extra) =>
        PostFormAsync($"{tenant}/oauth2/v2.0/token",
            [("grant_type", "password"), ("client_id", clientId), ("scope", scope), ("username", user),
             ("password", password ?? DemoDirectory.PasswordOf(user)), .. extra]);

    public async Task<Reply> PostFormAsync(string path, IEnumerable<(string Key, string Value)> fields, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))),
        };
        foreach (var (k, v) in headers ?? new Dictionary<string, string>()) request.Headers.TryAddWithoutValidation(k, v);
        return await SendAsync(request);
    }

    public async Task<Reply> GetAsync(string path, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await SendAsync(request);
    }

    public async Task<Reply> PostJsonAsync(string path, string json, string? bearer = null, HttpMethod? method = null)
    {
        using var request = new HttpRequestMessage(method ?? HttpMethod.Post, path)
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await SendAsync(request);
    }

    public async Task<Reply> SendAsync(HttpRequestMessage request)
    {
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, body, response.Headers, response.Content.Headers);
    }

    public void Dispose() => _http.Dispose();
}

public sealed record Reply(HttpStatusCode Status, string Body, HttpResponseHeaders Headers, HttpContentHeaders ContentHeaders)
{
    public JsonElement Json => JsonDocument.Parse(Body).RootElement;

    public string Header(string name) =>
        Headers.TryGetValues(name, out var v) ? string.Join(",", v)
        : ContentHeaders.TryGetValues(name, out var c) ? string.Join(",", c) : "";

    public int ErrorCode => Json.GetProperty("error_codes")[0].GetInt32();

    public string Error => Json.GetProperty("error").GetString()!;
}
