using Gatehouse.Core.Authorization;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Authorization;

/// <summary>
/// How a sign-in surface (the hosted login page, the federated <c>/login/callback</c>) finishes an <c>/authorize</c>
/// request: one place that starts or extends the SSO session, issues the code and answers the app (a redirect to its
/// callback, or a form_post page, always with <c>iss</c>), and writes the success or failure audit event. A transaction
/// with <see cref="LoginTransaction.DeviceCodeHash"/> (started on <c>/activate</c>) approves or denies that device
/// authorization instead and shows the person a "return to your device" page (docs/device-flow.md).
/// </summary>
public interface ISignInCompletion
{
    /// <summary>The user authenticated through <paramref name="connectionName"/> for this transaction.</summary>
    Task<IResult> CompleteAsync(HttpContext http, LoginTransaction transaction, User user, string connectionName, CancellationToken ct);

    /// <summary>
    /// The sign-in cannot succeed in a way the app must hear (<c>access_denied</c> with a description): answers the
    /// app's redirect URI with the error, ends the transaction, and logs <paramref name="auditType"/> with the audit-only detail.
    /// </summary>
    Task<IResult> FailAsync(HttpContext http, LoginTransaction transaction, string error, string description, string auditType, string? detail, CancellationToken ct);
}
