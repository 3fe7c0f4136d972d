namespace Turn.Relay.Tls;

/// <summary>Host names as TLS SNI carries them and certificates list them (RFC 6066 section 3, RFC 6125 section 6.4).</summary>
internal static class TlsHostName
{
    /// <summary>Lower case, without a trailing dot; null for no name (absent or empty SNI).</summary>
    public static string? Normalize(string? name)
    {
        if (string.IsNullOrEmpty(name)) return null;
        var trimmed = name.TrimEnd('.');
        return trimmed.Length == 0 ? null : trimmed.ToLowerInvariant();
    }

    /// <summary>
    /// The name a wildcard entry for <paramref name="name"/> would be stored under: "*." and the name without its
    /// first label ("a.example.org" → "*.example.org"); null when the name has a single label. A wildcard covers
    /// exactly one label (RFC 6125 section 6.4.3), so one dictionary probe finds it.
    /// </summary>
    public static string? WildcardFor(string name)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot <= 0 || dot == name.Length - 1 ? null : string.Concat("*", name.AsSpan(dot));
    }
}
