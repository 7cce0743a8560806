using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Users;

/// <summary>Keeps last_login, last_ip and logins_count up to date after a successful login.</summary>
public sealed class LoginRecorder(IUserStore store, TimeProvider time)
{
    /// <summary>Statistics only: a busy user record never fails the login (the store counts every login once).</summary>
    public Task<User> RecordAsync(User user, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        return store.RecordLoginAsync(user, time.GetUtcNow(), ip, ct);
    }
}
