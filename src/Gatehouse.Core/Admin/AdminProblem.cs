namespace Gatehouse.Core.Admin;

/// <summary>
/// One thing wrong with an administrative change: the field it concerns (an Auth0 property name such as "name",
/// "grant_types" or "options.client_id") and what is wrong, in the Management API's words.
/// </summary>
public sealed record AdminProblem(string Field, string Message);

/// <summary>Why an administrative change was refused; each maps to one HTTP status at the Management API's edge.</summary>
public enum AdminRefusal
{
    Invalid,
    NotFound,
    Conflict,
    Forbidden,
}

/// <summary>
/// An administrative change refused before anything was written. <see cref="Exception.Message"/> is the Management
/// API's error message (byte for byte what Auth0 answers); <see cref="Problems"/> are the same problems per field, for
/// a form that shows each beside its input.
/// </summary>
public sealed class AdminException : Exception
{
    public AdminException(AdminRefusal refusal, string message, string errorCode, IReadOnlyList<AdminProblem> problems) : base(message)
    {
        Refusal = refusal;
        ErrorCode = errorCode;
        Problems = problems;
    }

    public AdminException() : this(AdminRefusal.Invalid, "Bad Request", "invalid_body", []) { }

    public AdminException(string message) : this(AdminRefusal.Invalid, message, "invalid_body", []) { }

    public AdminException(string message, Exception innerException) : base(message, innerException)
    {
        ErrorCode = "invalid_body";
        Problems = [];
    }

    public AdminRefusal Refusal { get; }

    public string ErrorCode { get; }

    public IReadOnlyList<AdminProblem> Problems { get; }

    /// <summary>One problem with a field; the message is also the Management API's message.</summary>
    public static AdminException Invalid(string field, string message) => new(AdminRefusal.Invalid, message, "invalid_body", [new AdminProblem(field, message)]);

    public static AdminException NotFound(string message, string errorCode) => new(AdminRefusal.NotFound, message, errorCode, []);

    public static AdminException Conflict(string field, string message, string errorCode) =>
        new(AdminRefusal.Conflict, message, errorCode, [new AdminProblem(field, message)]);

    public static AdminException Forbidden(string message, string errorCode = "operation_not_supported") => new(AdminRefusal.Forbidden, message, errorCode, []);
}
