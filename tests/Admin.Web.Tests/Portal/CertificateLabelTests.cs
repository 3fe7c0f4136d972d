using Admin.Web.Portal;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Portal;

/// <summary>The certificate shown beside a realm's host name: a generated one is labelled self-signed and not trusted.</summary>
public sealed class CertificateLabelTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generated_LabelledSelfSigned_NotTrusted()
    {
        var certificate = new TlsCertificateInfo(["turn.example.org"], "CN=turn.example.org", Now.AddDays(-1), Now.AddDays(365), true, "AB", null);

        Assert.StartsWith("self-signed", CertificateLabel.Describe(certificate, Now), StringComparison.Ordinal);
        Assert.False(CertificateLabel.IsTrusted(certificate, Now));
    }

    [Fact]
    public void Installed_ShowsSubjectAndExpiry_Trusted_UntilItExpires()
    {
        var certificate = new TlsCertificateInfo(["turn.example.org"], "CN=turn.example.org", Now.AddDays(-1), Now.AddDays(30), false, "AB", "/etc/tls/turn.pem");

        Assert.Equal("CN=turn.example.org, valid until 2027-01-06", CertificateLabel.Describe(certificate, Now));
        Assert.True(CertificateLabel.IsTrusted(certificate, Now));
        Assert.StartsWith("expired", CertificateLabel.Describe(certificate, Now.AddDays(31)), StringComparison.Ordinal);
        Assert.False(CertificateLabel.IsTrusted(certificate, Now.AddDays(31)));
    }
}
