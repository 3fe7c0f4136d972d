using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Turn.Relay.Tls;

/// <summary>Makes the certificate used when an operator configured none: good enough for testing and for clients told to trust it.</summary>
internal static class SelfSignedCertificate
{
    public static readonly TimeSpan Validity = TimeSpan.FromDays(365);

    /// <summary>ECDSA P-256, CN=Turnstone self-signed, SAN localhost, 127.0.0.1, ::1 and the machine name.</summary>
    public static X509Certificate2 Create(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=Turnstone self-signed", key, HashAlgorithmName.SHA256);

        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        var machine = Environment.MachineName;
        if (Uri.CheckHostName(machine) == UriHostNameType.Dns && !string.Equals(machine, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            names.AddDnsName(machine);
        }

        names.AddIpAddress(IPAddress.Loopback);
        names.AddIpAddress(IPAddress.IPv6Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));

        // Back-date a little so a client with a slightly slow clock accepts it at once.
        return request.CreateSelfSigned(now.AddMinutes(-5), now.Add(Validity));
    }
}
