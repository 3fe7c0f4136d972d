namespace Admin.Data.Usage;

/// <summary>
/// The billing account of a usage row's user name. TURN REST credentials are "expiry:user" (RFC-less coturn
/// convention), optionally "expiry:user@realm" when vended with their realm; every new credential is a new name, so
/// billing groups them by the user part. Anything else (a long-term user) is its own account. The SQL in
/// <see cref="UsageSql"/> applies the same rule; both are tested against each other.
/// </summary>
public static class UsageUserPart
{
    /// <summary>True for "digits:..." (a TURN REST credential).</summary>
    public static bool IsRestCredential(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0) return false;
        for (var i = 0; i < colon; i++)
        {
            if (name[i] is < '0' or > '9') return false;
        }
        return true;
    }

    /// <summary>The user part of <paramref name="name"/> in <paramref name="realm"/>: "1796635831:webrtc-ts@realm" → "webrtc-ts".</summary>
    public static string Of(string name, string realm)
    {
        ArgumentNullException.ThrowIfNull(realm);
        if (!IsRestCredential(name)) return name;
        var rest = name[(name.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var suffix = "@" + realm;
        return rest.EndsWith(suffix, StringComparison.Ordinal) ? rest[..^suffix.Length] : rest;
    }
}
