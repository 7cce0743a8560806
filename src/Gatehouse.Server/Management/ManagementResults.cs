using Gatehouse.Core.Admin;
using Gatehouse.Server.Hosting;
using Microsoft.AspNetCore.WebUtilities;

namespace Gatehouse.Server.Management;

/// <summary>An expected Management API refusal, turned into Auth0's error body by the group's error filter.</summary>
public sealed class ManagementException : Exception
{
    public ManagementException(int status, string message, string errorCode) : base(message)
    {
        Status = status;
        ErrorCode = errorCode;
    }

    public ManagementException() : this(400, "Bad Request", "invalid_body") { }

    public ManagementException(string message) : this(400, message, "invalid_body") { }

    public ManagementException(string message, Exception innerException) : base(message, innerException)
    {
        Status = 400;
        ErrorCode = "invalid_body";
    }

    public int Status { get; }

    public string ErrorCode { get; }

    public static ManagementException BadBody(string message) => new(400, message, "invalid_body");

    public static ManagementException BadQuery(string message) => new(400, message, "invalid_query_string");

    public static ManagementException NotFound(string message, string errorCode = "inexistent_entity") => new(404, message, errorCode);

    public static ManagementException Conflict(string message, string errorCode = "conflict") => new(409, message, errorCode);

    public static ManagementException Forbidden(string message, string errorCode = "operation_not_supported") => new(403, message, errorCode);

    /// <summary>An admin layer refusal in the Management API's terms (its message is already Auth0's).</summary>
    public static ManagementException From(AdminException refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var status = refusal.Refusal switch
        {
            AdminRefusal.NotFound => 404,
            AdminRefusal.Conflict => 409,
            AdminRefusal.Forbidden => 403,
            _ => 400,
        };
        return new ManagementException(status, refusal.Message, refusal.ErrorCode);
    }
}

/// <summary>Auth0's Management API error shape: <c>{statusCode, error, message, errorCode}</c>.</summary>
public static class ManagementResults
{
    public static IResult Error(int status, string message, string errorCode) =>
        Results.Json(new Dictionary<string, object>
        {
            ["statusCode"] = status,
            ["error"] = ReasonPhrases.GetReasonPhrase(status),
            ["message"] = message,
            ["errorCode"] = errorCode,
        }, JsonDefaults.Options, statusCode: status);

    public static IResult Error(ManagementException error) => Error(error.Status, error.Message, error.ErrorCode);
}
