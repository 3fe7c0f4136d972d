using System.Net;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Policy;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Policy;

/// <summary>
/// What the Peer rules page lists as built in (<see cref="IPeerPolicy.BuiltInDenials"/>) must be what the relay's policy
/// really refuses.
/// </summary>
public sealed class BuiltInPeerDenialsTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void EveryListedRange_IsRefusedByTheRealPolicy(bool allowLoopback, bool denyPrivate)
    {
        var policy = Policy(allowLoopback, denyPrivate);

        var denials = ((IPeerPolicy)policy).BuiltInDenials;

        Assert.NotEmpty(denials);
        foreach (var denial in denials)
        {
            foreach (var range in denial.Ranges)
            {
                var address = IPAddress.Parse(range.Split('/')[0]);
                var verdict = policy.Evaluate(address, RealmPolicy.Empty, RealmPolicy.Empty);
                Assert.True(verdict is not (PeerVerdict.Allowed or PeerVerdict.AllowedByRule), $"{range} ({denial.Reason}) is listed but {verdict}");
            }
        }
    }

    [Fact]
    public void Loopback_IsListedOnlyWhenRefused()
    {
        Assert.Contains(Policy(false, false).BuiltInDenials, d => d.Ranges[0] == "127.0.0.0/8");
        Assert.DoesNotContain(Policy(true, false).BuiltInDenials, d => d.Ranges.Contains("127.0.0.0/8"));
        Assert.Equal(PeerVerdict.Allowed, Policy(true, false).Evaluate(IPAddress.Loopback, RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Fact]
    public void PrivateRanges_AreListedOnlyWhenRefused()
    {
        Assert.DoesNotContain(Policy(false, false).BuiltInDenials, d => d.Ranges.Contains("10.0.0.0/8"));
        Assert.Equal(PeerVerdict.Allowed, Policy(false, false).Evaluate(IPAddress.Parse("10.1.2.3"), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Contains(Policy(false, true).BuiltInDenials, d => d.Ranges.Contains("10.0.0.0/8"));
    }

    [Fact]
    public void Listing_NamesTheRangesAsOperatorsWriteThem()
    {
        // The page showed these texts when it kept its own copy of the list; the policy now builds them from its ranges.
        var listed = Policy(false, true).BuiltInDenials;

        Assert.Equal(
        [
            "0.0.0.0, ::",
            "127.0.0.0/8, ::1",
            "0.0.0.0/8",
            "169.254.0.0/16, fe80::/10",
            "224.0.0.0/4, ff00::/8",
            "240.0.0.0/4, 255.255.255.255",
            "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16, 100.64.0.0/10, fc00::/7, fec0::/10",
            "169.254.169.254",
            "169.254.170.2",
            "169.254.170.23",
            "100.100.100.200",
            "168.63.129.16",
            "192.0.0.192",
            "fd00:ec2::254",
            "fd00:ec2::253",
            "fd00:ec2::23",
            "fd20:ce::254",
            "fd00:c1::a9fe:a9fe",
        ], listed.Select(d => string.Join(", ", d.Ranges)));
        Assert.Equal([false, .. Enumerable.Repeat(true, 17)], listed.Select(d => d.AllowRuleOverrides));
        Assert.All(listed.Skip(7), d => Assert.StartsWith("cloud metadata: ", d.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void PolicyThatDoesNotDescribeItself_ListsNone()
    {
        IPeerPolicy custom = new AllowEverything();

        Assert.Empty(custom.BuiltInDenials);
    }

    private sealed class AllowEverything : IPeerPolicy
    {
        public bool IsAllowed(IPAddress peer, RealmPolicy realmPolicy, RealmPolicy globalPolicy) => true;
    }

    private static PeerPolicy Policy(bool allowLoopback, bool denyPrivate) =>
        new(Options.Create(new RelayOptions { AllowLoopbackPeers = allowLoopback, DenyPrivatePeers = denyPrivate }), NullLogger<PeerPolicy>.Instance);
}
