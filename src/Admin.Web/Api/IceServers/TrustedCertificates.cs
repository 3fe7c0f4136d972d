using Turn.Relay.Seams;

namespace Admin.Web.Api.IceServers;

/// <summary>
/// Which host names the TURNS listener can prove it is to a browser: a certificate it presents now that Turnstone did
/// not generate (a generated one is self-signed, which no browser trusts), that is within its validity, and whose DNS
/// names cover the host (exactly, or a wildcard "*.example.org" covering one label, as RFC 6125 section 6.4.3 allows).
/// Without a registered <see cref="ITlsCertificateStatus"/> no host has a trusted certificate.
/// </summary>
public sealed class TrustedCertificates(IServiceProvider services, TimeProvider time)
{
    /// <summary>The certificates presented now (empty when TLS is off or nothing reports them).</summary>
    public IReadOnlyList<TlsCertificateInfo> All => services.GetService<ITlsCertificateStatus>()?.Certificates ?? [];

    /// <summary>The certificate a browser would accept for <paramref name="hostName"/>, or null.</summary>
    public TlsCertificateInfo? For(string hostName)
    {
        var now = time.GetUtcNow();
        return All.FirstOrDefault(c => IsTrusted(c, now) && Covers(c, hostName));
    }

    /// <summary>Certificates whose names cover <paramref name="hostName"/>, trusted or not (for the portal's display).</summary>
    public IReadOnlyList<TlsCertificateInfo> Covering(string hostName) => All.Where(c => Covers(c, hostName)).ToList();

    public static bool IsTrusted(TlsCertificateInfo certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return !certificate.IsGenerated && certificate.NotBefore <= now && now < certificate.NotAfter;
    }

    public static bool Covers(TlsCertificateInfo certificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (var name in certificate.HostNames)
        {
            if (string.Equals(name, hostName, StringComparison.OrdinalIgnoreCase)) return true;
            if (name.StartsWith("*.", StringComparison.Ordinal))
            {
                var dot = hostName.IndexOf('.', StringComparison.Ordinal);
                if (dot > 0 && string.Equals(name[1..], hostName[dot..], StringComparison.OrdinalIgnoreCase)) return true;
            }
        }
        return false;
    }
}
