using System.Net;
using Admin.Web.Components.Pages.PeerRules;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Turn.Relay;
using Turn.Relay.Policy;
using Turn.Relay.Seams;

namespace Admin.Web.Tests.Portal;

/// <summary>What the Peer rules page lists as built in must be what the relay's policy really refuses.</summary>
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

        var denials = BuiltInPeerDenials.For(policy);

        foreach (var denial in denials)
        {
            foreach (var range in denial.Ranges.Split(", "))
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
        Assert.Contains(BuiltInPeerDenials.For(Policy(false, false)), d => d.Ranges.StartsWith("127.0.0.0/8", StringComparison.Ordinal));
        Assert.DoesNotContain(BuiltInPeerDenials.For(Policy(true, false)), d => d.Ranges.Contains("127.0.0.0/8", StringComparison.Ordinal));
        Assert.Equal(PeerVerdict.Allowed, Policy(true, false).Evaluate(IPAddress.Loopback, RealmPolicy.Empty, RealmPolicy.Empty));
    }

    [Fact]
    public void PrivateRanges_AreListedOnlyWhenRefused()
    {
        Assert.DoesNotContain(BuiltInPeerDenials.For(Policy(false, false)), d => d.Ranges.Contains("10.0.0.0/8", StringComparison.Ordinal));
        Assert.Equal(PeerVerdict.Allowed, Policy(false, false).Evaluate(IPAddress.Parse("10.1.2.3"), RealmPolicy.Empty, RealmPolicy.Empty));
        Assert.Contains(BuiltInPeerDenials.For(Policy(false, true)), d => d.Ranges.Contains("10.0.0.0/8", StringComparison.Ordinal));
    }

    private static PeerPolicy Policy(bool allowLoopback, bool denyPrivate) =>
        new(Options.Create(new RelayOptions { AllowLoopbackPeers = allowLoopback, DenyPrivatePeers = denyPrivate }), NullLogger<PeerPolicy>.Instance);
}
