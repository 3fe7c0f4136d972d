using System.Buffers;
using System.Net;

namespace Admin.Data.Realms;

/// <summary>
/// Realm host names: DNS names as TLS SNI carries them (RFC 6066 section 3: a fully qualified DNS host name, no
/// trailing dot, never an IP address). Stored in lower case, so SNI, which is case-insensitive, matches with an
/// ordinal compare after lowering. No wildcards: a wildcard would make one realm claim every other realm's names
/// below it, and SNI always names one host, so each host name is listed on its own.
/// </summary>
public static class HostNameSyntax
{
    /// <summary>Longest DNS name in text form (RFC 1035: 255 octets on the wire).</summary>
    public const int MaxLength = 253;

    private static readonly SearchValues<char> LabelChars = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789-");

    /// <summary>The stored form: trimmed, lower case, one trailing dot dropped.</summary>
    public static string Normalize(string hostName)
    {
        ArgumentNullException.ThrowIfNull(hostName);
        var trimmed = hostName.Trim().ToLowerInvariant();
        return trimmed.EndsWith('.') ? trimmed[..^1] : trimmed;
    }

    /// <summary>Null when <paramref name="hostName"/> (already normalised) is a valid host name, else why not.</summary>
    public static string? Check(string? hostName)
    {
        if (string.IsNullOrEmpty(hostName)) return "The host name is empty.";
        if (hostName.Length > MaxLength) return $"The host name is longer than {MaxLength} characters.";
        if (hostName.Contains('*')) return "Wildcard host names are not allowed: list each host name a realm uses.";
        if (IPAddress.TryParse(hostName.Trim('[', ']'), out _))
            return $"'{hostName}' is an IP address: TLS SNI carries DNS names only. Bind an address to a realm with Relay:AddressRealms.";
        var labels = hostName.Split('.');
        if (labels.Length < 2) return $"The host name '{Printable(hostName)}' must have at least two labels (e.g. turn.example.org).";
        foreach (var label in labels)
        {
            if (label.Length == 0) return $"The host name '{Printable(hostName)}' has an empty label (two dots, or a dot at the start).";
            if (label.Length > 63) return $"The host name '{Printable(hostName)}' has a label longer than 63 characters.";
            if (label.AsSpan().ContainsAnyExcept(LabelChars))
                return $"The host name '{Printable(hostName)}' may only contain letters a-z, digits, '-' and '.'.";
            if (label[0] == '-' || label[^1] == '-') return $"The host name '{Printable(hostName)}' has a label starting or ending with '-'.";
        }
        if (labels[^1].All(char.IsAsciiDigit)) return $"The host name '{Printable(hostName)}' ends in a numeric label, which no DNS name has.";
        return null;
    }

    private static string Printable(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 80 ? clean : string.Concat(clean.AsSpan(0, 77), "...");
    }
}
