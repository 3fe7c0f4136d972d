namespace Turn.Relay.Seams;

/// <summary>
/// One server certificate the TURNS listener can present: the DNS names it is valid for (subject alternative names,
/// wildcards as written, e.g. "*.example.org"), its validity, and whether Turnstone generated it (self-signed, which
/// no browser trusts). For the portal, metrics and the credential vending endpoint.
/// </summary>
public sealed record TlsCertificateInfo(
    IReadOnlyList<string> HostNames,
    string Subject,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool IsGenerated,
    string Thumbprint,
    string? CertificatePath);
