using System.Collections.Frozen;
using System.Net.Security;
using Turn.Relay.Seams;

namespace Turn.Relay.Tls;

/// <summary>
/// The certificates presented now, immutable (a reload builds a new set): the default one, and by SNI host name
/// the Relay:TlsCertificates entries (then the default) whose subject alternative DNS names match. An exact name
/// wins over a wildcard; among equals the first configured wins. Lookups are two dictionary probes at most.
/// </summary>
internal sealed class TlsCertificateSet
{
    private readonly FrozenDictionary<string, TlsCertificate> _byName;

    public TlsCertificateSet(TlsCertificate defaultCertificate, IReadOnlyList<TlsCertificate> named)
    {
        Default = defaultCertificate;
        Named = named;
        var byName = new Dictionary<string, TlsCertificate>(StringComparer.Ordinal);
        foreach (var certificate in named.Append(defaultCertificate))
        {
            foreach (var name in certificate.HostNames) byName.TryAdd(name, certificate);
        }
        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Infos = [.. named.Prepend(defaultCertificate).Select(c => c.Info)];
    }

    /// <summary>For a handshake without SNI, or with a name no certificate lists.</summary>
    public TlsCertificate Default { get; }

    /// <summary>The Relay:TlsCertificates entries, in configuration order.</summary>
    public IReadOnlyList<TlsCertificate> Named { get; }

    /// <summary>The default first, then the named ones.</summary>
    public IReadOnlyList<TlsCertificateInfo> Infos { get; }

    public TlsCertificate Select(string? serverName)
    {
        // SNI is the client's word, unauthenticated: normalised without allocating when it is already lower case.
        if (string.IsNullOrEmpty(serverName)) return Default;
        var name = IsNormal(serverName) ? serverName : TlsHostName.Normalize(serverName);
        if (name is null) return Default;
        if (_byName.TryGetValue(name, out var exact)) return exact;
        return TlsHostName.WildcardFor(name) is { } wildcard && _byName.TryGetValue(wildcard, out var matched) ? matched : Default;
    }

    public SslServerAuthenticationOptions GetServerOptions(string? serverName) => Select(serverName).ServerOptions;

    private static bool IsNormal(string name)
    {
        if (name[^1] == '.') return false;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterUpper(c) || c > 0x7F) return false;
        }
        return true;
    }
}
