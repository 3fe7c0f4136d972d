using System.Globalization;

namespace Turn.Protocol;

/// <summary>
/// The ORIGIN attribute's value in the canonical form coturn matches against turn_origin_to_realm
/// (its get_canonic_origin): <c>scheme://host:port</c> with scheme and host in lower case, the port
/// written out (the scheme's default when the value has none: http 80, https 443, turn/stun 3478,
/// turns/stuns 5349, and the few others coturn knows), and user info, path, query and fragment
/// dropped. An IPv6 host keeps its brackets. A value that is not an absolute URI with a host is
/// kept as it is. Both sides of a match (the attribute and the stored origins) go through it.
/// </summary>
public static class StunOrigin
{
    /// <summary>coturn's STUN_MAX_ORIGIN_SIZE: longer canonical values are cut, as coturn cuts them.</summary>
    public const int MaxLength = 127;

    /// <summary>The canonical form of <paramref name="origin"/> (see the type's summary).</summary>
    public static string Canonicalize(string origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        var canonical = TryCanonicalize(origin) ?? origin;
        return canonical.Length > MaxLength ? canonical[..MaxLength] : canonical;
    }

    /// <summary>
    /// The canonical form, untruncated, when <paramref name="origin"/> is an absolute URI with a host
    /// (<c>scheme://host[:port][...]</c>); false otherwise. For callers that must refuse what they cannot match
    /// (the admin side storing origins), where <see cref="Canonicalize"/> keeps such a value as it is.
    /// </summary>
    public static bool TryCanonicalize(string origin, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? canonical)
    {
        ArgumentNullException.ThrowIfNull(origin);
        canonical = TryCanonicalize(origin);
        return canonical is not null;
    }

    private static string? TryCanonicalize(string origin)
    {
        var colon = origin.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !IsScheme(origin.AsSpan(0, colon))) return null;
        var rest = origin.AsSpan(colon + 1);
        if (!rest.StartsWith("//", StringComparison.Ordinal)) return null;
        rest = rest[2..];
        var end = rest.IndexOfAny('/', '?', '#');
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority[(at + 1)..];
        if (!TrySplitHostPort(authority, out var host, out var port)) return null;
        if (host.Length == 0) return null;
        var scheme = origin[..colon].ToLowerInvariant();
        if (port < 1) port = DefaultPort(scheme);
        var lowerHost = host.ToString().ToLowerInvariant();
        return port > 0
            ? string.Concat(scheme, "://", lowerHost, ":", port.ToString(CultureInfo.InvariantCulture))
            : string.Concat(scheme, "://", lowerHost);
    }

    // RFC 3986 section 3.1: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
    private static bool IsScheme(ReadOnlySpan<char> scheme)
    {
        if (!char.IsAsciiLetter(scheme[0])) return false;
        foreach (var c in scheme)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) return false;
        }
        return true;
    }

    // "host", "host:port", "[v6]" or "[v6]:port"; port -1 when absent or empty. False for a port that is not a number.
    private static bool TrySplitHostPort(ReadOnlySpan<char> authority, out ReadOnlySpan<char> host, out int port)
    {
        port = -1;
        host = authority;
        ReadOnlySpan<char> portText = default;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']');
            if (close < 0) return false;
            host = authority[..(close + 1)];
            var after = authority[(close + 1)..];
            if (after.Length > 0)
            {
                if (after[0] != ':') return false;
                portText = after[1..];
            }
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            if (colon >= 0)
            {
                host = authority[..colon];
                portText = authority[(colon + 1)..];
            }
        }
        if (portText.Length == 0) return true;
        if (portText.Length > 5) return false;
        foreach (var c in portText)
        {
            if (!char.IsAsciiDigit(c)) return false;
        }
        port = int.Parse(portText, NumberStyles.None, CultureInfo.InvariantCulture);
        return port <= 65535;
    }

    // The defaults coturn's get_default_protocol_port knows; 0 = none (the port is then left out).
    private static int DefaultPort(string scheme) => scheme switch
    {
        "ftp" => 21,
        "svn" => 3690,
        "ssh" or "svn+ssh" => 22,
        "sip" => 5060,
        "sips" => 5061,
        "http" => 80,
        "https" => 443,
        "ldap" => 389,
        "ldaps" => 636,
        "turn" or "stun" => 3478,
        "turns" or "stuns" => 5349,
        "telnet" => 23,
        "radius" => 1645,
        _ => 0,
    };
}
