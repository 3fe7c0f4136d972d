using Admin.Web.Portal;

namespace Admin.Web.Tests.Portal;

public sealed class IceTestDiagnosisTests
{
    private static IceTestResult Result(string transport, string? failure, bool opened = false, IceTestError[]? errors = null, IceTestCandidate[]? candidates = null) =>
        new(transport, ["turn:127.0.0.1:3478?transport=" + transport], candidates ?? [], errors ?? [], opened, null, null, 0, failure, null, 100);

    [Fact]
    public void Diagnose_Opened_Works() =>
        Assert.True(IceTestDiagnosis.Diagnose(Result("udp", null, opened: true, candidates: [new("a", "relay", "udp", "127.0.0.1", 50000, "udp")])).Ok);

    [Fact]
    public void Diagnose_401_NamesRealmAndCredentials()
    {
        var (ok, text) = IceTestDiagnosis.Diagnose(Result("udp", "no-relay-candidates", errors: [new("turn:x", 401, "Unauthorized")]));
        Assert.False(ok);
        Assert.StartsWith("401", text, StringComparison.Ordinal);
        Assert.Contains("realm", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_701OverTurns_NamesTheCertificate()
    {
        var (_, text) = IceTestDiagnosis.Diagnose(Result("turns", "no-relay-candidates", errors: [new("turns:x", 701, "")]));
        Assert.Contains("certificate", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_701OverUdp_NamesPortsNotCertificates()
    {
        var (_, text) = IceTestDiagnosis.Diagnose(Result("udp", "no-relay-candidates", errors: [new("turn:x", 701, "")]));
        Assert.Contains("port", text, StringComparison.Ordinal);
        Assert.DoesNotContain("certificate", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Diagnose_NoCandidatesNoError_PortsOrFirewall() =>
        Assert.Contains("firewall", IceTestDiagnosis.Diagnose(Result("tcp", "no-relay-candidates")).Text, StringComparison.Ordinal);

    [Fact]
    public void Diagnose_CandidatesButNoChannel_Timeout() =>
        Assert.StartsWith("Timeout", IceTestDiagnosis.Diagnose(Result("udp", "channel-timeout", candidates: [new("a", "relay", "udp", "127.0.0.1", 50000, "udp")])).Text, StringComparison.Ordinal);

    [Fact]
    public void Diagnose_NoTurnsUrl_ExplainsCertificate() =>
        Assert.Contains("certificate", IceTestDiagnosis.Diagnose(Result("turns", "no-url")).Text, StringComparison.Ordinal);
}
