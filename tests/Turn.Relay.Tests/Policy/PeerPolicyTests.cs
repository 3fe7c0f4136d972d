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
    [InlineData("169.254.169.254", nameof(PeerVerdict.CloudMetadata))]
    [InlineData("::ffff:169.254.169.254", nameof(PeerVerdict.CloudMetadata))]
    [InlineData("::169.254.169.254", nameof(PeerVerdict.CloudMetadata))]
    [InlineData("169.254.0.1", nameof(PeerVerdict.LinkLocal))]
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
        Assert.Equal(PeerVerdict.CloudMetadata, policy.Evaluate(IPAddress.Parse("169.254.169.254"), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.Any, RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_RealmAllow_WinsOverTheRealmsOwnDenyOnly()
    {
        // Behaviour change (issue 13): a realm's allow rules used to beat the built-in denials too; now they only
        // beat the realm's own deny rules, above the floor.
        var policy = Create(denyPrivate: true);
        var realm = Ranges(allowed: ["127.0.0.1", "10.0.0.0/8", "169.254.0.1-169.254.0.9", "203.0.113.7"], denied: ["10.0.0.0/8", "203.0.113.0/24"]);
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("127.0.0.1"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("::ffff:127.0.0.1"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Private, policy.Evaluate(IPAddress.Parse("10.9.9.9"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.LinkLocal, policy.Evaluate(IPAddress.Parse("169.254.0.5"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("203.0.113.7"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("203.0.113.8"), realm, RealmPolicy.Empty));
    }

    [Theory]
    [InlineData("127.0.0.0/8", "127.0.0.1")]
    [InlineData("127.0.0.0/8", "::ffff:127.0.0.1")]
    [InlineData("127.0.0.0/8", "64:ff9b::7f00:1")]
    [InlineData("::1", "::1")]
    [InlineData("169.254.0.0/16", "169.254.169.254")]
    [InlineData("169.254.169.254", "169.254.169.254")]
    [InlineData("0.0.0.0/0", "169.254.169.254")]
    [InlineData("0.0.0.0/0", "100.100.100.200")]
    [InlineData("::/0", "fd00:ec2::254")]
    [InlineData("0.0.0.0/0", "224.0.0.1")]
    public void Evaluate_RealmAllow_NeverOpensABuiltInDenial(string realmAllow, string peer)
    {
        var policy = Create();
        var realm = Ranges(allowed: [realmAllow]);
        Assert.False(policy.IsAllowed(IPAddress.Parse(peer), realm, RealmPolicy.Empty), $"realm allow {realmAllow} opened {peer}");
    }

    [Fact]
    public void Evaluate_RealmAllow_CannotOverrideAGlobalDeny()
    {
        var policy = Create();
        var global = Ranges(denied: ["198.51.100.0/24"]);
        var realm = Ranges(allowed: ["198.51.100.0/24"]);
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("198.51.100.1"), realm, global));
    }

    [Fact]
    public void Evaluate_GlobalAllow_IsASuperusersExceptionToTheFloor()
    {
        var policy = Create(denyPrivate: true);
        var global = Ranges(allowed: ["127.0.0.1", "10.1.0.0/16", "169.254.169.254", "198.51.100.7"], denied: ["198.51.100.0/24"]);
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("127.0.0.1"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("127.0.0.2"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("10.1.2.3"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.Private, policy.Evaluate(IPAddress.Parse("10.2.0.1"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("169.254.169.254"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("198.51.100.7"), RealmPolicy.Empty, global));
        Assert.Equal(PeerVerdict.DeniedByRule, policy.Evaluate(IPAddress.Parse("198.51.100.8"), RealmPolicy.Empty, global));
        // The same rules looked up as realm "" (the global policy is the realm policy) behave the same.
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("127.0.0.1"), global, global));
        // Nothing opens the unspecified address.
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.Any, RealmPolicy.Empty, Ranges(allowed: ["0.0.0.0/0"])));
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.170.2")]
    [InlineData("169.254.170.23")]
    [InlineData("100.100.100.200")]
    [InlineData("168.63.129.16")]
    [InlineData("192.0.0.192")]
    [InlineData("fd00:ec2::254")]
    [InlineData("fd00:ec2::253")]
    [InlineData("fd00:ec2::23")]
    [InlineData("fd20:ce::254")]
    [InlineData("fd00:c1::a9fe:a9fe")]
    [InlineData("::ffff:100.100.100.200")]
    [InlineData("64:ff9b::a9fe:a9fe")]
    [InlineData("64:ff9b::6464:64c8")]
    public void Evaluate_CloudMetadata_IsRefusedByDefault(string address)
    {
        var policy = Create();
        Assert.Equal(PeerVerdict.CloudMetadata, policy.Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
        // Neighbours of the IPv6 ones are ordinary (ULA) peers unless DenyPrivatePeers.
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(IPAddress.Parse("fd00:ec2::1"), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Allowed, policy.Evaluate(IPAddress.Parse("100.100.100.201"), RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Theory]
    [InlineData("64:ff9b::7f00:1", nameof(PeerVerdict.Loopback))]
    [InlineData("64:ff9b::127.0.0.1", nameof(PeerVerdict.Loopback))]
    [InlineData("64:ff9b::a00:1", nameof(PeerVerdict.Private))]
    [InlineData("64:ff9b::", nameof(PeerVerdict.Unspecified))]
    [InlineData("64:ff9b::e000:1", nameof(PeerVerdict.Multicast))]
    [InlineData("64:ff9b::c000:20a", nameof(PeerVerdict.Allowed))]
    // Local-use block (RFC 8215): the /96 reading is 192.0.2.10, but other prefix lengths read 127.0.0.1 or 10.x.
    [InlineData("64:ff9b:1::c000:20a", nameof(PeerVerdict.Allowed))]
    [InlineData("64:ff9b:1::7f00:1", nameof(PeerVerdict.Loopback))]
    [InlineData("64:ff9b:1:0:7f:0:1c0:2", nameof(PeerVerdict.Loopback))]
    [InlineData("64:ff9b:1:7f:0:1:c000:20a", nameof(PeerVerdict.Loopback))]
    [InlineData("64:ff9b:1:7f00:0:100:c000:20a", nameof(PeerVerdict.Loopback))]
    [InlineData("64:ff9b:1:a9:fe:a9fe:c000:20a", nameof(PeerVerdict.Reserved))]
    [InlineData("64:ff9b:1:7f:100:1:c000:20a", nameof(PeerVerdict.Allowed))]
    public void Evaluate_Nat64Peers_AreJudgedAsTheirEmbeddedIPv4(string address, string verdict)
    {
        var policy = Create(denyPrivate: true);
        Assert.Equal(Enum.Parse<PeerVerdict>(verdict), policy.Evaluate(IPAddress.Parse(address), RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Fact]
    public void Evaluate_Nat64Peer_RealmAllowDoesNotOpenLoopback()
    {
        var policy = Create();
        var realm = Ranges(allowed: ["127.0.0.0/8", "64:ff9b::/96", "64:ff9b:1::/48"]);
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("64:ff9b::7f00:1"), realm, RealmPolicy.Empty));
        Assert.Equal(PeerVerdict.Loopback, policy.Evaluate(IPAddress.Parse("64:ff9b:1::7f00:1"), realm, RealmPolicy.Empty));
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
        // As a global (superuser) rule, the one kind that may make exceptions to the built-in denials.
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.Any, RealmPolicy.Empty, everything));
        Assert.Equal(PeerVerdict.Unspecified, policy.Evaluate(IPAddress.IPv6Any, RealmPolicy.Empty, everything));
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Loopback, RealmPolicy.Empty, everything));
    }

    [Fact]
    public void Evaluate_InvalidRangeStrings_AreSkippedNotFatal()
    {
        var realm = Ranges(allowed: ["nonsense", "192.0.2.1"], denied: ["10.0.0.1/8", "8.8.8.8"]);
        var policy = Create();
        Assert.Equal(PeerVerdict.AllowedByRule, policy.Evaluate(IPAddress.Parse("192.0.2.1"), realm, RealmPolicy.Empty));
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
            ["example.org"] = Ranges(allowed: ["192.0.2.1"], denied: ["192.0.2.0/24"]),
        });
        var policy = Create(store: store);
        Assert.Equal(PeerVerdict.AllowedByRule, await policy.EvaluateAsync("example.org", IPAddress.Parse("192.0.2.1"), CancellationToken.None));
        Assert.Equal(PeerVerdict.DeniedByRule, await policy.EvaluateAsync("example.org", IPAddress.Parse("192.0.2.2"), CancellationToken.None));
        Assert.Equal(PeerVerdict.Allowed, await policy.EvaluateAsync("other.org", IPAddress.Parse("192.0.2.2"), CancellationToken.None));
        Assert.Equal(PeerVerdict.DeniedByRule, await policy.EvaluateAsync("example.org", IPAddress.Parse("203.0.113.1"), CancellationToken.None));
        Assert.Equal(PeerVerdict.DeniedByRule, await policy.EvaluateAsync("", IPAddress.Parse("203.0.113.1"), CancellationToken.None));
    }

    [Theory]
    [InlineData("::ffff:127.0.0.1", "127.0.0.1")]
    [InlineData("::127.0.0.1", "127.0.0.1")]
    [InlineData("64:ff9b::c000:201", "192.0.2.1")]
    [InlineData("::1", "::1")]
    [InlineData("::", "::")]
    [InlineData("64:ff9b:1::c000:201", "64:ff9b:1::c000:201")]
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
