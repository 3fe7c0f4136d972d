namespace Turn.Relay.Seams;

/// <summary>The certificates the TURNS listener presents now (they change when files are reloaded). Empty when TLS is off.</summary>
public interface ITlsCertificateStatus
{
    IReadOnlyList<TlsCertificateInfo> Certificates { get; }
}
