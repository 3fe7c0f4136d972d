using System.Net.Security;
using Turn.Relay.Seams;

namespace Turn.Relay.Tls;

/// <summary>
/// One certificate for every handshake, from an <see cref="ITlsCertificateSource"/> registered in place of
/// <see cref="TlsCertificateProvider"/> (read once: such a source has no SNI selection and no reload).
/// </summary>
internal sealed class FixedTlsServerCertificates(ITlsCertificateSource source) : ITlsServerCertificates
{
    private readonly SslServerAuthenticationOptions _options = TlsServerOptions.Create(source.GetServerCertificateContext());

    public SslServerAuthenticationOptions GetServerOptions(string? serverName) => _options;
}
