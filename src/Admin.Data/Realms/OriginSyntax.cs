using System.Globalization;

namespace Admin.Data.Realms;

/// <summary>
/// ORIGIN values the way coturn compares them (get_canonic_origin in coturn's apputils.c): scheme and host in lower
/// case, the port written out, the scheme's default port when none is given (http 80, https 443, turn/stun 3478,
/// turns/stuns 5349, and coturn's few others), no port for a scheme without a known default, user info and path
/// dropped. coturn's turnadmin stores origins in that form and its server canonicalises the ORIGIN attribute before
/// the exact lookup in turn_origin_to_realm; Turnstone does the same on both sides, so a database shared with coturn
/// maps the same ORIGINs to the same realms. "https://App.Example.org" is stored as "https://app.example.org:443".
/// </summary>
public static class OriginSyntax
{
    /// <summary>Longest ORIGIN looked at (coturn's STUN_MAX_ORIGIN_SIZE is 127; turn_origin_to_realm.origin is varchar(127)).</summary>
    public const int MaxLength = 127;

    /// <summary>The canonical form, or null when <paramref name="origin"/> is not scheme://host[:port][/...].</summary>
    public static string? Canonicalize(string? origin)
    {
        if (string.IsNullOrEmpty(origin) || origin.Length > MaxLength * 2) return null;
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0) return null;
        var scheme = origin[..separator];
        if (!char.IsAsciiLetter(scheme[0]) || scheme.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '+' and not '-' and not '.')) return null;
        var rest = origin.AsSpan(separator + 3);
        var end = rest.IndexOfAny("/?#");
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority[(at + 1)..];

        ReadOnlySpan<char> host;
        ReadOnlySpan<char> portText;
        if (authority.StartsWith("["))
        {
            var close = authority.IndexOf(']');
            if (close < 0) return null;
            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0 && after[0] != ':') return null;
            portText = after.Length > 0 ? after[1..] : [];
        }
        else
        {
            var colon = authority.IndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? [] : authority[(colon + 1)..];
        }
        if (host.Length == 0 || host.ContainsAny(" \t\r\n\"'\\<>")) return null;
        foreach (var c in host) if (char.IsControl(c)) return null;

        var lowerScheme = scheme.ToLowerInvariant();
        int port;
        if (portText.Length == 0) port = DefaultPort(lowerScheme);
        else if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port > 65535) return null;
        if (port == 0) port = DefaultPort(lowerScheme);

        var canonical = port > 0
            ? $"{lowerScheme}://{host.ToString().ToLowerInvariant()}:{port.ToString(CultureInfo.InvariantCulture)}"
            : $"{lowerScheme}://{host.ToString().ToLowerInvariant()}";
        return canonical.Length <= MaxLength ? canonical : null;
    }

    /// <summary>Null when <paramref name="origin"/> is an acceptable origin to store, else why not.</summary>
    public static string? Check(string? origin)
    {
        if (string.IsNullOrEmpty(origin)) return "The origin is empty.";
        if (origin.Length > MaxLength) return $"The origin is longer than {MaxLength} characters.";
        var separator = origin.IndexOf("://", StringComparison.Ordinal);
        var path = separator < 0 ? -1 : origin.IndexOfAny(['/', '?', '#'], separator + 3);
        // A browser's ORIGIN never has a path; "https://a.example/" (a trailing slash) is forgiven.
        if (Canonicalize(origin) is null || (path >= 0 && origin.Length > path + 1) || (path >= 0 && origin[path] != '/'))
            return $"The origin '{Printable(origin)}' must look like scheme://host[:port], e.g. https://app.example.org.";
        return null;
    }

    /// <summary>coturn's get_default_protocol_port: 0 for a scheme it does not know.</summary>
    private static int DefaultPort(string scheme) => scheme switch
    {
        "ftp" => 21,
        "svn" => 3690,
        "ssh" or "svn+ssh" => 22,
        "sip" => 5060,
        "http" => 80,
        "ldap" => 389,
        "sips" => 5061,
        "turn" or "stun" => 3478,
        "https" => 443,
        "ldaps" => 636,
        "turns" or "stuns" => 5349,
        "telnet" => 23,
        "radius" => 1645,
        _ => 0,
    };

    private static string Printable(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 80 ? clean : string.Concat(clean.AsSpan(0, 77), "...");
    }
}
