namespace Turn.Relay;

/// <summary>One entry of Relay:TlsCertificates: a PEM certificate (optionally followed by its intermediates) and its key.</summary>
public sealed class TlsCertificateFiles
{
    /// <summary>PEM certificate file, the leaf first; the host names it serves are its subject alternative DNS names.</summary>
    public string CertificatePath { get; set; } = "";

    /// <summary>PEM private key (PKCS#8, RSA or EC), unencrypted.</summary>
    public string KeyPath { get; set; } = "";
}
