using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Relay.Policy;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Policy;

public class PeerPolicyTests
{
    private static PeerPolicy Create(bool allowLoopback = false, bool denyPrivate = false, IRealmPolicyStore? store = null) =>
        new(Options.Create(new RelayOptions { AllowLoopbackPeers = allowLoopback, DenyPrivatePeers = denyPrivate }),
            NullLogger<PeerPolicy>.Instance, store);

    private static RealmPolicy Ranges(string[]? allowed = null, string[]? denied = null) =>
        RealmPolicy.Empty with { AllowedPeerRanges = allowed ?? [], DeniedPeerRanges = denied ?? [] };

    [Theory]
    [InlineData("127.0.0.1", nameof(PeerVerdict.Loopback))]
    [InlineData("127.255.255.254", nameof(PeerVerdict.Loopback))]
    [InlineData("::1", nameof(PeerVerdict.Loopback))]
    [InlineData("::ffff:127.0.0.1", nameof(PeerVerdict.Loopback))]
    [InlineData("::127.0.0.1", nameof(PeerVerdict.Loopback))]
    [InlineData("0.0.0.0", nameof(PeerVerdict.Unspecified))]
    [InlineData("::", nameof(PeerVerdict.Unspecified))]
    [InlineData("::ffff:0.0.0.0", nameof(PeerVerdict.Unspecified))]
    [InlineData("0.1.2.3", nameof(PeerVerdict.ThisNetwork))]
    [InlineData("169.254.169.254", nameof(PeerVerdict.LinkLocal))]
    [InlineData("::ffff:169.254.169.254", nameof(PeerVerdict.LinkLocal))]
    [InlineData("::169.254.169.254", nameof(PeerVerdict.LinkLocal))]
    [InlineData("fe80::1", nameof(PeerVerdict.LinkLocal))]
    [InlineData("febf:ffff::1", nameof(PeerVerdict.LinkLocal))]
    [InlineData("224.0.0.1", nameof(PeerVerdict.Multicast))]
    [InlineData("239.255.255.250", nameof(PeerVerdict.Multicast))]
    [InlineData("ff02::1", nameof(PeerVerdict.Multicast))]
    [InlineData("255.255.255.255", nameof(PeerVerdict.Broadcast))]
    [InlineData("240.0.0.1", nameof(PeerVerdict.Reserved))]
    public void Evaluate_Defaults_RefuseDangerousPeers(string address, string verdict)
    {
        // The verdict by name: PeerVerdict is internal to the engine, and a public test method cannot take it.
        var expected = Enum.Parse<PeerVerdict>(verdict);
        var policy = Create();
        Assert.Equal(expected, policy.Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.False(policy.IsAllowed(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("8.8.8.8")]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("2001:db8::1")]
    [InlineData("2606:4700::1111")]
    [InlineData("10.1.2.3")]
    [InlineData("172.16.0.1")]
    [InlineData("192.168.1.1")]
    [InlineData("100.64.0.1")]
    [InlineData("fd00::1")]
    [InlineData("223.255.255.255")]
    public void Evaluate_Defaults_AllowPublicAndPrivatePeers(string address)
    {
        Assert.Equal(PeerVerdict.Allowed, Create().Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.168.0.1")]
    [InlineData("100.127.255.254")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("fc00::1")]
    [InlineData("fdff::1")]
    [InlineData("fec0::1")]
    public void Evaluate_DenyPrivatePeers_RefusesPrivateRanges(string address)
    {
        Assert.Equal(PeerVerdict.Private, Create(denyPrivate: true).Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Theory]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("8.8.8.8")]
    [InlineData("2001:db8::1")]
    public void Evaluate_DenyPrivatePeers_StillAllowsPublicPeers(string address)
    {
        Assert.Equal(PeerVerdict.Allowed, Create(denyPrivate: true).Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]
    [InlineData("::127.0.0.1")]
    public void Evaluate_AllowLoopbackPeers_AllowsLoopbackOnly(string address)
    {
        var policy = Create(allowLoopback: true);
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.LinkLocal, policy.Evaluate(IPAddress.Parse("169.254.169.254"), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.Any, RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_RealmAllow_WinsOverDefaultsAndDeny()
    {
        var policy = Create(denyPrivate: true);
        var realm = Ranges(allowed: ["127.0.0.1", "10.0.0.0/8", "169.254.0.1-169.254.0.9"], denied: ["10.0.0.0/8"]);
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("127.0.0.1"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("::ffff:127.0.0.1"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("10.9.9.9"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("169.254.0.5"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.LinkLocal, policy.Evaluate(IPAddress.Parse("169.254.169.254"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("127.0.0.2"), realm, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_GlobalAllow_WinsOverRealmDeny()
    {
        var global = Ranges(allowed: ["203.0.113.7"]);
        var realm = Ranges(denied: ["203.0.113.0/24"]);
        var policy = Create();
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("203.0.113.7"), realm, global));
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("203.0.113.8"), realm, global));
    }

    [Fact]
    public void Evaluate_Deny_RefusesOtherwiseAllowedPeers()
    {
        var global = Ranges(denied: ["198.51.100.0/24", "2001:db8::/32"]);
        var policy = Create();
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("198.51.100.1"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("::ffff:198.51.100.1"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("2001:db8::5"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(IPAddress.Parse("198.51.101.1"), RealmPolicy.Empty, global));
    }

    [Fact]
    public void Evaluate_AllowCannotOpenTheUnspecifiedAddress()
    {
        var everything = Ranges(allowed: ["0.0.0.0/0", "::/0"]);
        var policy = Create();
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.Any, everything, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.IPv6Any, everything, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Loopback, everything, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_InvalidRangeStrings_AreSkippedNotFatal()
    {
        var realm = Ranges(allowed: ["nonsense", "127.0.0.1"], denied: ["10.0.0.1/8", "8.8.8.8"]);
        var policy = Create();
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("127.0.0.1"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("8.8.8.8"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(IPAddress.Parse("10.0.0.1"), realm, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_RawBytes_MatchesIPAddressOverload()
    {
        var policy = Create();
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("::ffff:127.0.0.1").GetAddressBytes(), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(new byte[] { 192, 0, 2, 1 }, RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Throws<ArgumentException>(() => policy.Evaluate(new byte[] { 1, 2, 3 }, RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_ANewPolicyInstance_IsCompiledAfresh()
    {
        var policy = Create();
        var before = Ranges(denied: ["192.0.2.1"]);
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("192.0.2.1"), before, RealmPolicy.Empty));
        var after = before with { DeniedPeerRanges = [] };
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(IPAddress.Parse("192.0.2.1"), after, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_OnceCompiled_DoesNotAllocate()
    {
        var policy = Create(denyPrivate: true);
        var realm = Ranges(allowed: ["203.0.113.0/24"], denied: ["198.51.100.0/24", "2001:db8::/32"]);
        var global = Ranges(denied: ["192.0.2.0/24"]);
        IPAddress[] peers = [IPAddress.Parse("8.8.8.8"), IPAddress.Parse("::ffff:127.0.0.1"), IPAddress.Parse("2001:db8::1"), IPAddress.Parse("10.0.0.1")];
        foreach (var peer in peers)
        {
            policy.Evaluate(peer, realm, global);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        var allowed = 0;
        for (var i = 0; i < 1000; i++)
        {
            foreach (var peer in peers)
            {
                allowed += policy.IsAllowed(peer, realm, global) ? 1 : 0;
            }
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(1000, allowed);
    }

    [Fact]
    public async Task EvaluateAsync_ReadsRealmAndGlobalPoliciesFromTheStore()
    {
        var store = new DictionaryPolicyStore(new Dictionary<string, RealmPolicy>
        {
            [""] = Ranges(denied: ["203.0.113.0/24"]),
            ["example.org"] = Ranges(allowed: ["127.0.0.1"]),
        });
        var policy = Create(store: store);
        Assert.Equal(PeerVerdict.AllowedByRule, await policy.EvaluateAsync("example.org", IPAddress.Loopback, CancellationToken.None));
        Assert.Equal(PeerVerdict.Loopback, await policy.EvaluateAsync("other.org", IPAddress.Loopback, CancellationToken.None));
        Assert.Equal(PeerVerdict.DeniedByRule, await policy.EvaluateAsync("example.org", IPAddress.Parse("203.0.113.1"), CancellationToken.None));
        Assert.Equal(PeerVerdict.DeniedByRule, await policy.EvaluateAsync("", IPAddress.Parse("203.0.113.1"), CancellationToken.None));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("::127.0.0.1", "127.0.0.1")]
    [InlineData("::1", "::1")]
    [InlineData("::", "::")]
    [InlineData("2001:db8::1", "2001:db8::1")]
    [InlineData("10.0.0.1", "10.0.0.1")]
    public void Canonicalize_TurnsEmbeddedIPv4IntoIPv4(string address, string expected)
    {
        Assert.Equal(IPAddress.Parse(expected), PeerPolicy.Canonicalize(IPAddress.Parse(address)));
    }

    private sealed class DictionaryPolicyStore(Dictionary<string, RealmPolicy> policies) : IRealmPolicyStore
    {
        public ValueTask<RealmPolicy> GetPolicyAsync(string realm, CancellationToken cancellationToken) =>
            ValueTask.FromResult(policies.GetValueOrDefault(realm, RealmPolicy.Empty));
    }
}
