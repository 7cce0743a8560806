namespace Gatehouse.Connections.AzureAd;

/// <summary>What an Azure AD error means for a password login. docs/errors.md (waad) explains each class.</summary>
public enum AadstsClass
{
    /// <summary>Wrong password (or no password in the directory).</summary>
    WrongPassword,

    /// <summary>No such user in the tenant (also personal-account guests). Same caller answer as a wrong password.</summary>
    UnknownUser,

    MfaRequired,
    ConditionalAccess,
    PasswordExpired,
    Locked,
    Disabled,
    NotAssigned,
    ConsentRequired,

    /// <summary>AADSTS700025: the app is a public client and must not send a secret. Retried once without it.</summary>
    PublicClientSentSecret,

    /// <summary>AADSTS7000218: the app is confidential and needs its secret. Retried once with it.</summary>
    ConfidentialWithoutSecret,

    Misconfigured,
    InteractionRequired,

    /// <summary>Any other refusal: nothing is known about the password.</summary>
    Refused,

    Throttled,
    Unavailable,
}

/// <summary>
/// The one table from an Azure AD error to its class. It decides on the HTTP status for 429 and 5xx, then on the
/// AADSTS code (<see cref="AadError.PrimaryCode"/>), then on the OAuth <c>error</c> string; never on description text.
/// </summary>
public static class AadstsClassifier
{
    public static IReadOnlyDictionary<int, AadstsClass> Codes { get; } = BuildTable();

    public static AadstsClass Classify(AadError error)
    {
        if (error.HttpStatus == 429)
        {
            return AadstsClass.Throttled;
        }

        if (error.HttpStatus >= 500)
        {
            return AadstsClass.Unavailable;
        }

        if (error.PrimaryCode is { } code)
        {
            if (Codes.TryGetValue(code, out var cls))
            {
                return cls;
            }

            if (code is >= 80001 and <= 80014)
            {
                return AadstsClass.Unavailable; // pass-through authentication agent trouble
            }
        }

        return error.Error switch
        {
            "invalid_client" or "unauthorized_client" or "invalid_request" or "invalid_resource" or "invalid_scope"
                or "unsupported_grant_type" or "invalid_tenant" => AadstsClass.Misconfigured,
            "temporarily_unavailable" or "server_error" => AadstsClass.Unavailable,
            "consent_required" => AadstsClass.ConsentRequired,
            "user_password_expired" => AadstsClass.PasswordExpired,
            "interaction_required" => AadstsClass.InteractionRequired,
            _ => AadstsClass.Refused,
        };
    }

    private static Dictionary<int, AadstsClass> BuildTable()
    {
        var t = new Dictionary<int, AadstsClass>();
        void Add(AadstsClass cls, params int[] codes)
        {
            foreach (var c in codes)
            {
                t.Add(c, cls);
            }
        }

        Add(AadstsClass.WrongPassword, 50126, 50056);
        Add(AadstsClass.UnknownUser, 50034, 50020, 50059, 50128, 90019);
        Add(AadstsClass.MfaRequired, 50076, 50079, 50074, 50072, 50158);
        Add(AadstsClass.ConditionalAccess, 53003, 530035, 53000, 53001, 50097);
        Add(AadstsClass.PasswordExpired, 50055, 50144);
        Add(AadstsClass.Locked, 50053);
        Add(AadstsClass.Disabled, 50057);
        Add(AadstsClass.NotAssigned, 50105);
        Add(AadstsClass.ConsentRequired, 65001);
        Add(AadstsClass.PublicClientSentSecret, 700025);
        Add(AadstsClass.ConfidentialWithoutSecret, 7000218);
        Add(
            AadstsClass.Misconfigured,
            7000215, 7000222, 700016, 700011, 70001, 7000112, 90002, 500011, 50001, 700022, 70011, 9001023, 90008,
            90009, 65005, 650056, 650057, 900144, 90124, 90130);
        Add(AadstsClass.Throttled, 50196, 90055);
        Add(AadstsClass.Unavailable, 50033, 90033, 90024, 90006, 50087);
        return t;
    }
}
