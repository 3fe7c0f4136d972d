using System.Buffers;
using System.Globalization;
using Turn.Protocol;

namespace Admin.Data.Administration;

/// <summary>
/// Input rules shared by the services, the CLI and the portal's inline validation. Each Check method returns
/// null when the value is acceptable, or a sentence saying what is wrong.
/// </summary>
public static class AdminValidation
{
    public const int RealmMaxLength = 127;
    public const int UserNameMaxLength = 512;
    public const int PasswordMaxLength = 1024;
    public const int SecretMaxLength = 256;
    public const int DescriptionMaxLength = 1000;
    public const int OriginMaxLength = 127;

    private static readonly SearchValues<char> RealmLabelChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>A realm: DNS-like (labels of a-z, 0-9 and '-', not starting or ending with '-'), lowercase, at most 127 characters.</summary>
    public static string? CheckRealm(string? realm)
    {
        if (string.IsNullOrEmpty(realm)) return "The realm name is empty.";
        if (realm.Length > RealmMaxLength) return $"The realm name is longer than {RealmMaxLength} characters.";
        foreach (var label in realm.Split('.'))
        {
            if (label.Length == 0) return $"The realm name '{Printable(realm)}' has an empty label (two dots, or a dot at either end).";
            if (label.Length > 63) return $"The realm name '{Printable(realm)}' has a label longer than 63 characters.";
            if (label.AsSpan().ContainsAnyExcept(RealmLabelChars))
                return $"The realm name '{Printable(realm)}' may only contain lowercase letters a-z, digits, '-' and '.'.";
            if (label[0] == '-' || label[^1] == '-') return $"The realm name '{Printable(realm)}' has a label starting or ending with '-'.";
        }
        return null;
    }

    /// <summary>A user name: 1 to 512 characters, no colon (it separates user and realm in the key), no control characters, no surrounding spaces.</summary>
    public static string? CheckUserName(string? name)
    {
        if (string.IsNullOrEmpty(name)) return "The user name is empty.";
        if (name.Length > UserNameMaxLength) return $"The user name is longer than {UserNameMaxLength} characters.";
        if (name.Contains(':')) return "The user name must not contain ':' (TURN REST usernames are 'expiry:user' and the key hashes 'user:realm:password').";
        if (name.Any(char.IsControl)) return "The user name must not contain control characters.";
        if (char.IsWhiteSpace(name[0]) || char.IsWhiteSpace(name[^1])) return "The user name must not start or end with a space.";
        return null;
    }

    public static string? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password)) return "The password is empty.";
        if (password.Length > PasswordMaxLength) return $"The password is longer than {PasswordMaxLength} characters.";
        if (password.Any(char.IsControl)) return "The password must not contain control characters.";
        return null;
    }

    /// <summary>A long-term key as coturn stores it: 32 hexadecimal digits (MD5).</summary>
    public static string? CheckHmacKey(string? hmacKey) =>
        LongTermKey.TryParseHex(hmacKey, out _) ? null : "The key must be 32 hexadecimal digits (MD5 of 'user:realm:password', as turnadmin -k prints it without 0x).";

    public static string? CheckSecret(string? secret)
    {
        if (string.IsNullOrEmpty(secret)) return "The secret is empty.";
        if (secret.Length > SecretMaxLength) return $"The secret is longer than {SecretMaxLength} characters.";
        if (secret.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))) return "The secret must not contain spaces or control characters.";
        return null;
    }

    public static string? CheckDescription(string? description)
    {
        if (description is null) return null;
        if (description.Length > DescriptionMaxLength) return $"The description is longer than {DescriptionMaxLength} characters.";
        if (description.Any(c => char.IsControl(c) && c is not '\n' and not '\r' and not '\t')) return "The description must not contain control characters.";
        return null;
    }

    /// <summary>An ORIGIN as browsers send it, e.g. "https://app.example.org" (stored in coturn's canonical form, see <see cref="Realms.OriginSyntax"/>).</summary>
    public static string? CheckOrigin(string? origin) => Realms.OriginSyntax.Check(origin);

    /// <summary>A realm host name: a DNS name as TLS SNI carries it, no wildcard (see <see cref="Realms.HostNameSyntax"/>).</summary>
    public static string? CheckHostName(string? hostName) =>
        hostName is null ? "The host name is empty." : Realms.HostNameSyntax.Check(Realms.HostNameSyntax.Normalize(hostName));

    /// <summary>A quota or limit: null (use the server default) or a non-negative number.</summary>
    public static string? CheckLimit(long? value, string what) =>
        value is < 0 ? $"The {what} must be zero or more (or empty for the server default)." : null;

    /// <summary>A peer range as coturn writes it: one address, a CIDR, or "first-last" of the same family in order.</summary>
    public static string? CheckPeerRange(string? range) => PeerRangeSyntax.Check(range);

    internal static void Ensure(string? error, string field)
    {
        if (error is not null) throw new AdminOperationException(AdminErrorCode.InvalidInput, error, field);
    }

    /// <summary>Quotes input safely in messages (no control characters, bounded length).</summary>
    internal static string Printable(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 80 ? clean : string.Concat(clean.AsSpan(0, 77), "...");
    }

    internal static string ToLowerInvariantHex(string hex) => hex.ToLower(CultureInfo.InvariantCulture);
}
