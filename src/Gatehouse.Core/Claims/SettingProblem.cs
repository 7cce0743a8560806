namespace Gatehouse.Core.Claims;

/// <summary>One problem with a Gatehouse extension setting: the JSON path of the member (<c>gatehouse_claims.max_groups</c>) and what is wrong.</summary>
public sealed record SettingProblem(string Path, string Message)
{
    /// <summary>As the Management API's 400 words a payload problem (Auth0's shape).</summary>
    public string ToPayloadError() => $"Payload validation error: '{Message}' on property {Path}.";
}
