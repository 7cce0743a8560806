namespace Gatehouse.AzureAd.Emulator;

/// <summary>
/// A fault to inject: on which route (and optionally for which user), how many times, and what happens.
/// Rules are tried in the order they were added; the first match applies (reference §11.4).
/// </summary>
public sealed record FaultRule
{
    /// <summary>Assigned when the rule is added, if not given.</summary>
    public string? Id { get; init; }
    /// <summary>One of <see cref="FaultRoute"/>.</summary>
    public string Route { get; init; } = FaultRoute.Token;
    /// <summary>Only requests of this user: the token request's username or the Graph token's upn.</summary>
    public string? User { get; init; }
    /// <summary>Apply to the next N matching requests, then disappear; null = until removed.</summary>
    public int? Count { get; init; }
    /// <summary>One of <see cref="FaultKind"/>.</summary>
    public string Kind { get; init; } = FaultKind.ServerError;
    /// <summary>HTTP status for server_error / html_error (default 500; 503 gives temporarily_unavailable).</summary>
    public int? Status { get; init; }
    /// <summary>Retry-After seconds for throttle (default 60).</summary>
    public int? RetryAfterSeconds { get; init; }
    /// <summary>Send Retry-After as an HTTP date instead of delta seconds.</summary>
    public bool RetryAfterAsDate { get; init; }
    /// <summary>Added latency for "latency" (default 1000 ms).</summary>
    public int? DelayMs { get; init; }
}

/// <summary>Route names a fault can target.</summary>
public static class FaultRoute
{
    public const string Any = "any";
    /// <summary>Both token endpoints.</summary>
    public const string Token = "token";
    public const string TokenV1 = "token_v1";
    public const string TokenV2 = "token_v2";
    public const string Discovery = "discovery";
    public const string Keys = "keys";
    public const string UserRealm = "userrealm";
    public const string Instance = "instance";
    public const string Graph = "graph";
    public const string AadGraph = "aadgraph";

    internal static readonly string[] All = [Any, Token, TokenV1, TokenV2, Discovery, Keys, UserRealm, Instance, Graph, AadGraph];
}

/// <summary>What a fault does.</summary>
public static class FaultKind
{
    /// <summary>429 with Retry-After; STS body is plain text, Graph body is Graph's TooManyRequests JSON.</summary>
    public const string Throttle = "throttle";
    /// <summary>5xx JSON: 500 server_error AADSTS50033, 503 temporarily_unavailable AADSTS90033 (Graph: its error shape).</summary>
    public const string ServerError = "server_error";
    /// <summary>5xx with an HTML body (a gateway page).</summary>
    public const string HtmlError = "html_error";
    /// <summary>Wait DelayMs, then answer normally.</summary>
    public const string Latency = "latency";
    /// <summary>Never answer; hang until the client gives up.</summary>
    public const string Timeout = "timeout";
    /// <summary>Abort the connection without a response.</summary>
    public const string Reset = "reset";
    /// <summary>200 with a truncated JSON body.</summary>
    public const string MalformedJson = "malformed_json";
    /// <summary>invalid_grant AADSTS50196 (loop detected).</summary>
    public const string LoopDetected = "loop_detected";
    /// <summary>The v2 id_token comes with alg none and no signature.</summary>
    public const string UnsignedIdToken = "unsigned_id_token";
    public const string WrongIssuer = "wrong_issuer";
    public const string WrongAudience = "wrong_audience";
    public const string WrongTenant = "wrong_tenant";
    public const string ExpiredToken = "expired_token";

    internal static readonly string[] All =
    [
        Throttle, ServerError, HtmlError, Latency, Timeout, Reset, MalformedJson, LoopDetected,
        UnsignedIdToken, WrongIssuer, WrongAudience, WrongTenant, ExpiredToken,
    ];
}
