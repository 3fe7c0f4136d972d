namespace Turn.Relay.Tls;

/// <summary>One configured certificate and key pair: its configuration keys, what was loaded from it, and the file stamp last seen.</summary>
internal sealed class TlsCertificateSlot(string certificatePath, string keyPath, string certificateKey, string keyKey)
{
    public string CertificatePath { get; } = certificatePath;

    public string KeyPath { get; } = keyPath;

    /// <summary>The configuration key of the certificate file, for messages.</summary>
    public string CertificateKey { get; } = certificateKey;

    public string KeyKey { get; } = keyKey;

    public TlsCertificate? Certificate { get; set; }

    public TlsFileStamp? Seen { get; set; }
}
