using Turn.Protocol;

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

    /// <summary>
    /// The canonical form (<see cref="StunOrigin.Canonicalize"/>, the rule the relay matches ORIGIN attributes with), or
    /// null when <paramref name="origin"/> is not scheme://host[:port][/...], holds whitespace, quotes or control
    /// characters, or is longer than <see cref="MaxLength"/> once canonical.
    /// </summary>
    public static string? Canonicalize(string? origin)
    {
        if (string.IsNullOrEmpty(origin) || origin.Length > MaxLength * 2) return null;
        if (origin.AsSpan().ContainsAny(" \t\r\n\"'\\<>") || origin.Any(char.IsControl)) return null;
        if (origin.IndexOf("://", StringComparison.Ordinal) <= 0) return null;
        return StunOrigin.TryCanonicalize(origin, out var canonical) && canonical.Length <= MaxLength ? canonical : null;
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

    private static string Printable(string value)
    {
        var clean = new string(value.Select(c => char.IsControl(c) ? '?' : c).ToArray());
        return clean.Length <= 80 ? clean : string.Concat(clean.AsSpan(0, 77), "...");
    }
}
