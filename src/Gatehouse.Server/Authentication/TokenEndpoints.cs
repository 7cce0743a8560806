using Gatehouse.Core.Grants;
using Gatehouse.Server.RateLimiting;

namespace Gatehouse.Server.Authentication;

/// <summary>POST /oauth/token, POST /oauth/ro (legacy), POST /oauth/revoke.</summary>
internal static class TokenEndpoints
{
    public static void MapTokenEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/oauth/token", async (HttpContext context, TokenPipeline pipeline) =>
        {
            var (request, error) = await TokenRequestReader.ReadAsync(context);
            if (error is not null)
                return OAuthResults.Error(error);
            return Write(await pipeline.ExecuteAsync(request!, context.RequestAborted));
        }).RateLimitedPerIp(RateLimitOptions.Authentication);

        routes.MapPost("/oauth/ro", async (HttpContext context, TokenPipeline pipeline) =>
        {
            var (request, error) = await TokenRequestReader.ReadAsync(context);
            if (error is not null)
                return OAuthResults.Error(error);
            // The legacy endpoint takes grant_type=password and runs it as the client's legacy "ro" grant.
            return request!["grant_type"] switch
            {
                null => OAuthResults.Error(OAuthError.MissingParameter("grant_type")),
                GrantTypes.Password => Write(await pipeline.ExecuteLegacyAsync(request.With("grant_type", GrantTypes.LegacyRo), context.RequestAborted)),
                // Refused here without reaching the pipeline, so the limits are checked here instead (an over-long value is not echoed).
                var other => OAuthResults.Error(TokenRequestLimits.Check(request) ?? OAuthError.UnsupportedGrantType(other)),
            };
        }).RateLimitedPerIp(RateLimitOptions.Authentication);

        routes.MapPost("/oauth/revoke", async (HttpContext context, RevocationService revocation) =>
        {
            var (request, error) = await TokenRequestReader.ReadAsync(context);
            if (error is not null)
                return OAuthResults.Error(error);
            var revokeError = await revocation.RevokeAsync(request!, context.RequestAborted);
            return revokeError is null ? Results.Ok() : OAuthResults.Error(revokeError);
        }).RateLimitedPerIp(RateLimitOptions.Authentication);
    }

    private static IResult Write(TokenOutcome outcome) =>
        outcome.Error is { } error ? OAuthResults.Error(error) : OAuthResults.Json(outcome.Response!);
}
