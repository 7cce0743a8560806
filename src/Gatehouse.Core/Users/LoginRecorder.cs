using Gatehouse.Core.Storage;

namespace Gatehouse.Core.Users;

/// <summary>Keeps last_login, last_ip and logins_count up to date after a successful login.</summary>
public sealed class LoginRecorder(IGatehouseStore store, TimeProvider time)
{
    public async Task<User> RecordAsync(User user, string? ip, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(user);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = time.GetUtcNow();
            try
            {
                return await store.UpdateUserAsync(user with { LastLogin = now, LastIp = ip ?? user.LastIp, LoginsCount = user.LoginsCount + 1 }, ct);
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict)
            {
                user = await store.GetUserAsync(user.UserId, ct) ?? user;
            }
            catch (StoreException e) when (e.Error == StoreError.NotFound)
            {
                return user; // deleted meanwhile; the tokens were already decided
            }
        }
        return user; // statistics only: a busy user record must not fail the login
    }
}
