using System.Text.Json;
using Gatehouse.AzureAd.Emulator.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Gatehouse.AzureAd.Emulator.Endpoints;

/// <summary>
/// The admin API under /_emulator: change the directory, settings and faults at run time, read the sign-in log.
/// Bodies use the seed's JSON shape; a mistake answers 400 {"error":"invalid_seed","errors":[{path,reason}]}.
/// </summary>
internal static class AdminEndpoints
{
    public static void Map(IEndpointRouteBuilder app, EmulatorRuntime rt)
    {
        var admin = app.MapGroup("/_emulator");
        var d = rt.Directory;
        admin.MapGet("/directory", () => Json(Redacted(d.Seed)));
        admin.MapPut("/directory", (HttpRequest request) => Change<EmulatorSeed>(request, d.Replace));
        admin.MapPost("/reset", () =>
        {
            d.Reset();
            rt.Faults.Clear();
            rt.SignInLog.Clear();
            rt.Interactive.Clear();
            rt.DeviceCodes.Clear();
            return Results.NoContent();
        });
        admin.MapPut("/tenants", (HttpRequest request) => Change<SeedTenant>(request, d.UpsertTenant));
        admin.MapPut("/apps", (HttpRequest request) => Change<SeedApp>(request, d.UpsertApp));
        admin.MapDelete("/apps/{appId}", (string appId) => Apply(() => d.RemoveApp(appId)));
        admin.MapPut("/users", (HttpRequest request) => Change<SeedUser>(request, d.UpsertUser));
        admin.MapDelete("/users/{user}", (string user) => Apply(() => d.RemoveUser(user)));
        admin.MapPost("/users/{user}/reset-lockout", (string user) => Apply(() => d.ResetLockout(user)));
        admin.MapPost("/users/{user}/disable", (string user) => Apply(() => d.SetAccountEnabled(user, false)));
        admin.MapPost("/users/{user}/enable", (string user) => Apply(() => d.SetAccountEnabled(user, true)));
        admin.MapPost("/users/{user}/reset-password", async (string user, HttpRequest request) =>
        {
            var body = await ReadAsync(request);
            try
            {
                var password = SeedJson.Deserialize<PasswordReset>(body).Password;
                if (string.IsNullOrEmpty(password)) return Invalid(new([new("$.password", "is required")]));
                return Apply(() => d.ResetPassword(user, password));
            }
            catch (SeedValidationException e)
            {
                return Invalid(e);
            }
        });
        // Graph's revokeSignInSessions answers {"value": true}.
        admin.MapPost("/users/{user}/revoke-sessions", (string user) =>
        {
            var result = Apply(() => rt.RevokeSignInSessions(user));
            return result is NoContent ? Json(new { value = true }) : result;
        });
        admin.MapPut("/groups", (HttpRequest request) => Change<SeedGroup>(request, d.UpsertGroup));
        admin.MapDelete("/groups/{id}", (string id) => Apply(() => d.RemoveGroup(id)));
        // Membership changes in Microsoft Graph's shape: {"@odata.id": ".../directoryObjects/{id}"} to add, DELETE .../{id}/$ref to remove.
        admin.MapPost("/groups/{id}/members/$ref", async (string id, HttpRequest request) =>
        {
            var member = MemberReference(await ReadAsync(request));
            return member is null
                ? Invalid(new([new("$.@odata.id", "must be a directoryObjects URL ending in the member's id")]))
                : Apply(() => d.AddGroupMember(id, member));
        });
        admin.MapDelete("/groups/{id}/members/{memberId}/$ref", (string id, string memberId) => Apply(() => d.RemoveGroupMember(id, memberId)));
        admin.MapGet("/settings", () => Json(d.Settings));
        admin.MapPut("/settings", (HttpRequest request) => Change<EmulatorSettings>(request, s => d.UpdateSettings(_ => s)));
        admin.MapGet("/signins", () => Json(rt.SignInLog.Entries));
        admin.MapDelete("/signins", () =>
        {
            rt.SignInLog.Clear();
            return Results.NoContent();
        });
        admin.MapGet("/mfa-codes/{user}", (string user) =>
            d.Snapshot.FindUser(user) is { } u && rt.Interactive.PendingMfaCode(u.Id) is { } code
                ? Json(new { userPrincipalName = u.Upn, code })
                : Results.NotFound());
        admin.MapDelete("/sessions", () =>
        {
            rt.Interactive.ClearSessions();
            return Results.NoContent();
        });
        admin.MapGet("/faults", () => Json(rt.Faults.Rules));
        admin.MapPost("/faults", async (HttpRequest request) =>
        {
            try
            {
                return Json(rt.Faults.Add(SeedJson.Deserialize<FaultRule>(await ReadAsync(request))), 201);
            }
            catch (SeedValidationException e)
            {
                return Invalid(e);
            }
        });
        admin.MapDelete("/faults", () =>
        {
            rt.Faults.Clear();
            return Results.NoContent();
        });
        admin.MapDelete("/faults/{id}", (string id) => rt.Faults.Remove(id) ? Results.NoContent() : Results.NotFound());
        admin.MapPost("/keys/rotate", (bool? keepOld) => Json(new { kid = rt.Faults.RotateSigningKey(keepOld ?? true) }));
    }

    /// <summary>The member id of Graph's reference body, <c>{"@odata.id": "https://graph.microsoft.com/v1.0/directoryObjects/{id}"}</c>.</summary>
    private static string? MemberReference(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("@odata.id", out var v)
                && v.ValueKind == JsonValueKind.String && v.GetString() is { } url && url.LastIndexOf("/directoryObjects/", StringComparison.Ordinal) is var at and >= 0
                && url[(at + "/directoryObjects/".Length)..] is { Length: > 0 } memberId && !memberId.Contains('/')
                ? memberId
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record PasswordReset
    {
        public string? Password { get; init; }
    }

    /// <summary>Passwords are never sent back.</summary>
    private static EmulatorSeed Redacted(EmulatorSeed seed) =>
        seed with { Users = seed.Users.Select(u => u with { Password = null }).ToList() };

    private static async Task<IResult> Change<T>(HttpRequest request, Action<T> apply)
    {
        try
        {
            apply(SeedJson.Deserialize<T>(await ReadAsync(request)));
            return Results.NoContent();
        }
        catch (SeedValidationException e)
        {
            return Invalid(e);
        }
    }

    private static IResult Apply(Action action)
    {
        try
        {
            action();
            return Results.NoContent();
        }
        catch (SeedValidationException e)
        {
            return e.Errors.Any(x => x.Reason.EndsWith("does not exist", StringComparison.Ordinal)) ? Results.NotFound() : Invalid(e);
        }
    }

    private static async Task<string> ReadAsync(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body);
        return await reader.ReadToEndAsync(request.HttpContext.RequestAborted);
    }

    private static IResult Invalid(SeedValidationException e) =>
        Json(new { error = "invalid_seed", errors = e.Errors.Select(x => new { path = x.Path, reason = x.Reason }) }, 400);

    private static IResult Json(object value, int status = 200) =>
        Results.Text(JsonSerializer.Serialize(value, SeedJson.Options), "application/json; charset=utf-8", statusCode: status);
}
