namespace Turn.Relay.Tls;

/// <summary>
/// Where the TURNS (TLS) listener gets its certificate, read from the "Relay" configuration section.
/// Either both Relay:TlsCertificatePath and Relay:TlsKeyPath are set, or neither: then a
/// self-signed certificate is generated at first start and kept under Relay:TlsGeneratedDirectory.
/// </summary>
public sealed class TlsCertificateOptions
{
    public const string SectionName = "Relay";

    /// <summary>Default for <see cref="TlsGeneratedDirectory"/>, relative to the working directory.</summary>
    public const string DefaultGeneratedDirectory = "./.data/tls";

    /// <summary>Relay:TlsCertificatePath: PEM certificate, optionally followed by its intermediate CA certificates.</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Relay:TlsKeyPath: PEM private key (PKCS#8, RSA or EC) of the certificate; unencrypted.</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>
    /// Relay:TlsGeneratedDirectory (default ./.data/tls): where the self-signed certificate and key
    /// are kept when no certificate is configured, so restarts reuse them (key file mode 0600).
    /// </summary>
    public string TlsGeneratedDirectory { get; set; } = DefaultGeneratedDirectory;

    internal bool IsConfigured => !string.IsNullOrWhiteSpace(TlsCertificatePath) || !string.IsNullOrWhiteSpace(TlsKeyPath);
}
