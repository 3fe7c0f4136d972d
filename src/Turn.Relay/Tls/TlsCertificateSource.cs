namespace Turn.Relay.Tls;

/// <summary>Where the TLS listener's certificate came from.</summary>
internal enum TlsCertificateSource
{
    /// <summary>Relay:TlsCertificatePath and Relay:TlsKeyPath.</summary>
    Configured,

    /// <summary>Self-signed, generated at this start and saved under Relay:TlsGeneratedDirectory.</summary>
    Generated,

    /// <summary>Self-signed, generated at an earlier start and loaded from Relay:TlsGeneratedDirectory.</summary>
    Reused,
}
