using Admin.Data.Administration;
using Admin.Data.Import.Coturn;
using Turn.Protocol;

namespace Admin.Data.Tests.Import;

/// <summary>turnserver.conf parsing and mapping, line by line (the command-level tests use whole files from turnadmin).</summary>
public sealed class CoturnConfigMapperTests
{
    private static CoturnImportPlan Map(string text)
    {
        var plan = new CoturnImportPlan();
        CoturnConfigMapper.Map(CoturnConfigParser.Parse(new StringReader(text)), plan);
        return plan;
    }

    [Fact]
    public void Parse_AcceptsCoturnsLineForms()
    {
        var entries = CoturnConfigParser.Parse(new StringReader("# comment\n\nlistening-port=3478\n--min-port 50000\nfingerprint\n  realm = \"Example.org\"\n"));

        Assert.Equal(
            [("listening-port", "3478"), ("min-port", "50000"), ("fingerprint", null), ("realm", "Example.org")],
            entries.Select(e => (e.Name, e.Value)).ToList());
        Assert.Equal(3, entries[0].Line);
    }

    [Fact]
    public void Users_PlainAndHexKeys_GoToTheRealmWhereverItIsWritten()
    {
        var key = LongTermKey.ComputeHex("bob", "example.org", "bob-pw");

        var plan = Map($"user=alice:alice-pw\nuser=bob:0x{key.ToUpperInvariant()}\nrealm=example.org\n");

        Assert.Equal("example.org", plan.DefaultRealm);
        Assert.Equal(LongTermKey.ComputeHex("alice", "example.org", "alice-pw"), plan.Users.Single(u => u.Name == "alice").HmacKey);
        Assert.Equal(key, plan.Users.Single(u => u.Name == "bob").HmacKey);
    }

    [Theory]
    [InlineData(64, "SHA-256")]
    [InlineData(128, "SHA-512")]
    [InlineData(30, "no coturn key length")]
    public void Users_NonMd5Keys_AreLeftOutWithTheReason(int digits, string reason)
    {
        var plan = Map($"realm=example.org\nuser=erin:0x{new string('b', digits)}\n");

        Assert.Empty(plan.Users);
        Assert.Contains(reason, Assert.Single(plan.Skipped).Reason);
    }

    [Fact]
    public void Users_WithoutARealm_AreLeftOut()
    {
        var plan = Map("user=alice:pw\nstatic-auth-secret=s3cret\n");

        Assert.Empty(plan.Users);
        Assert.Empty(plan.Secrets);
        Assert.Equal(2, plan.Skipped.Count);
    }

    [Fact]
    public void ExternalIp_PublicSlashPrivate_SetsBothAddresses()
    {
        var plan = Map("external-ip=203.0.113.5/10.0.0.5\nexternal-ip=203.0.113.6/10.0.0.6\n");

        Assert.Equal("203.0.113.5", plan.RelaySettings["ExternalAddress"]);
        Assert.Equal("10.0.0.5", plan.RelaySettings["RelayAddress"]);
        Assert.Contains("one external address", Assert.Single(plan.Skipped).Reason);
    }

    [Fact]
    public void PortsQuotasAndSwitches_MapToRelaySettings()
    {
        var plan = Map("listening-port=3479\ntls-listening-port=5350\nmin-port=40000\nmax-port=40100\nuser-quota=0\ntotal-quota=9\nmax-bps=64000\nno-tls\nallow-loopback-peers\nlistening-ip=127.0.0.1\nlistening-ip=::1\n");

        Assert.Equal(3479, plan.RelaySettings["Port"]);
        Assert.Equal(0, plan.RelaySettings["TlsPort"]);
        Assert.Equal(40000, plan.RelaySettings["MinPort"]);
        Assert.Equal(0, plan.RelaySettings["UserQuota"]);
        Assert.Equal(64000L, plan.RelaySettings["MaxBitsPerSecond"]);
        Assert.Equal(true, plan.RelaySettings["AllowLoopbackPeers"]);
        Assert.Equal(["127.0.0.1", "::1"], (List<string>)plan.RelaySettings["ListenAddresses"]);
        Assert.Empty(plan.Skipped);
    }

    [Fact]
    public void BadValues_AreLeftOutWithTheLine()
    {
        var plan = Map("listening-port=ninety\nrelay-ip=not-an-ip\ndenied-peer-ip=10.0.0.0/33\n");

        Assert.Equal(3, plan.Skipped.Count);
        Assert.Equal("turnserver.conf:1", plan.Skipped[0].Source);
        Assert.Empty(plan.PeerRules);
        Assert.False(plan.RelaySettings.ContainsKey("Port"));
    }

    [Fact]
    public void PeerRules_AreGlobal_AndOptionsAreNotedOrLeftOut()
    {
        var plan = Map("denied-peer-ip=10.0.0.0-10.255.255.255\nallowed-peer-ip=10.1.2.3\nfingerprint\nno-multicast-peers\ncli-password=x\nno-udp\nsomething-new=1\n");

        Assert.Equal([("", PeerRuleKind.Deny, "10.0.0.0-10.255.255.255"), ("", PeerRuleKind.Allow, "10.1.2.3")],
            plan.PeerRules.Select(r => (r.Realm, r.Kind, r.Range)).ToList());
        Assert.Contains(plan.Notes, n => n.StartsWith("fingerprint:", StringComparison.Ordinal));
        Assert.Contains(plan.Notes, n => n.StartsWith("no-multicast-peers:", StringComparison.Ordinal));
        Assert.Equal(["cli-password", "no-udp", "something-new"], plan.Skipped.Select(s => s.What).ToList());
        Assert.Equal("no Turnstone equivalent", plan.Skipped[^1].Reason);
    }
}
