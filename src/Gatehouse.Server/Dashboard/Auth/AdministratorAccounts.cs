using System.Net.Mail;
using Gatehouse.Core.Admin;
using Gatehouse.Core.Administrators;
using Gatehouse.Core.Security;
using Gatehouse.Core.Storage;

namespace Gatehouse.Server.Dashboard.Auth;

/// <summary>The outcome of a dashboard sign-in attempt.</summary>
public enum AdministratorSignIn
{
    Success,
    Invalid,
    LockedOut,
}

/// <summary>
/// Creates administrators with generated passwords and checks sign-ins (PBKDF2, throttled per email and address). Each
/// creation is one audit event through <see cref="AdminAudit"/> naming its actor (docs/architecture.md, "Who else writes").
/// </summary>
public sealed class AdministratorAccounts(IAdministratorStore store, IPasswordHasher hasher, SignInThrottle throttle, TimeProvider time, AdminAudit audit)
{
    /// <summary>The one change this service records, described like the admin layer's changes (no Management API equivalent).</summary>
    public static readonly AdminChange Created = new("Create a dashboard administrator", "post", "/dashboard/administrators", 201);

    /// <summary>
    /// A new administrator and its generated password, which is shown once and never stored in clear (nor in the audit
    /// event, which names only who created it).
    /// </summary>
    /// <param name="actor">Who creates it: the system at first start (<c>bootstrap</c>) or the host's <c>admin add</c> command.</param>
    public async Task<(Administrator Administrator, string Password)> CreateAsync(AdminActor actor, string email, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!IsEmail(email))
            throw new ArgumentException($"'{email}' is not an email address.", nameof(email));
        var password = Secrets.RandomToken(18);
        var administrator = await store.CreateAsync(new Administrator("adm_" + Secrets.RandomAlphanumeric(16), email,
            hasher.Hash(password), time.GetUtcNow(), null, 0), ct);
        await audit.RecordAsync(actor, Created, ct);
        return (administrator, password);
    }

    /// <param name="address">The caller's <see cref="ClientAddresses"/> key (IPv6 per /64), or null when unknown.</param>
    public async Task<(AdministratorSignIn Result, Administrator? Administrator)> SignInAsync(string email, string password, string? address, CancellationToken ct)
    {
        var (key, from) = (email.Trim().ToLowerInvariant(), address ?? "unknown");
        if (await throttle.IsLockedOutAsync(key, from, ct))
            return (AdministratorSignIn.LockedOut, null);
        var administrator = email.Length <= 320 ? await store.FindByEmailAsync(email, ct) : null;
        // An unknown email costs the same hash as a wrong password (Verify with a null hash).
        var check = hasher.Verify(password, administrator?.PasswordHash);
        if (administrator is null || check == PasswordCheck.Failed)
            return (await throttle.FailureAsync(key, from, ct) ? AdministratorSignIn.LockedOut : AdministratorSignIn.Invalid, null);
        await throttle.SuccessAsync(key, from, ct);
        var updated = administrator with
        {
            LastLogin = time.GetUtcNow(),
            PasswordHash = check == PasswordCheck.ValidNeedsRehash ? hasher.Hash(password) : administrator.PasswordHash,
        };
        try
        {
            administrator = await store.UpdateAsync(updated, ct);
        }
        catch (StoreException e) when (e.Error == StoreError.Conflict)
        {
            // Two sign-ins at once: the other one recorded the last login; this one still succeeds.
        }
        return (AdministratorSignIn.Success, administrator);
    }

    public static bool IsEmail(string? value) =>
        !string.IsNullOrWhiteSpace(value) && value.Length <= 320 && MailAddress.TryCreate(value, out var parsed) && parsed.Address == value.Trim();
}
