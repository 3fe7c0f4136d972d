using System.Net;
using Admin.Web.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Admin.Web.Tests.Auth;

/// <summary>The per-network sign-in throttle on fake time: buckets per /24 and /64, refill, and when the lockout holds.</summary>
public sealed class SignInThrottleTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
    private readonly SignInThrottle _throttle;

    public SignInThrottleTests() =>
        _throttle = new SignInThrottle(Options.Create(new LoginOptions { AddressBurst = 3, AddressRefillInterval = TimeSpan.FromSeconds(30), LockoutDuration = TimeSpan.FromMinutes(5) }), _time);

    [Fact]
    public void Burst_ThenRefused_ThenOneMorePerInterval()
    {
        var guesser = IPAddress.Parse("198.51.100.7");
        for (var i = 0; i < 3; i++)
        {
            Assert.True(_throttle.MayAttempt(guesser));
            _throttle.RecordFailure(guesser);
        }
        Assert.False(_throttle.MayAttempt(guesser));

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(_throttle.MayAttempt(guesser));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(_throttle.MayAttempt(guesser));
        _throttle.RecordFailure(guesser);
        Assert.False(_throttle.MayAttempt(guesser));
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.250", "198.51.101.7")]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff::9", "2001:db8:1:3::1")]
    [InlineData("::ffff:198.51.100.7", "198.51.100.8", "::ffff:198.51.101.7")]
    public void Buckets_ArePerNetwork(string guesser, string sameNetwork, string otherNetwork)
    {
        for (var i = 0; i < 3; i++) _throttle.RecordFailure(IPAddress.Parse(guesser));

        Assert.False(_throttle.MayAttempt(IPAddress.Parse(sameNetwork)));
        Assert.True(_throttle.MayAttempt(IPAddress.Parse(otherNetwork)));
    }

    [Fact]
    public void Lockout_AppliesOnlyToNetworksThatFailedWithinTheLockoutDuration()
    {
        var guesser = IPAddress.Parse("198.51.100.7");
        var admin = IPAddress.Parse("203.0.113.9");
        _throttle.RecordFailure(guesser);

        Assert.True(_throttle.LockoutApplies(guesser));
        Assert.False(_throttle.LockoutApplies(admin));

        _time.Advance(TimeSpan.FromMinutes(5));
        Assert.False(_throttle.LockoutApplies(guesser));
    }

    [Fact]
    public void SuccessfulSignIns_CostNothing()
    {
        var admin = IPAddress.Parse("203.0.113.9");
        for (var i = 0; i < 100; i++) Assert.True(_throttle.MayAttempt(admin));
        Assert.Equal(0, _throttle.TrackedNetworks);
    }

    [Fact]
    public void ManyNetworks_AreBounded_AndRecoveredOnesAreForgotten()
    {
        for (var i = 0; i < SignInThrottle.MaxNetworks + 500; i++)
            _throttle.RecordFailure(new IPAddress([10, (byte)(i >> 8), (byte)i, 1]));
        Assert.True(_throttle.TrackedNetworks <= SignInThrottle.MaxNetworks + 1, $"{_throttle.TrackedNetworks} networks tracked");
        // Untracked networks while full share the overflow bucket and the lockout applies to them (fail closed).
        Assert.True(_throttle.LockoutApplies(IPAddress.Parse("192.0.2.1")));

        // Once they have recovered (bucket full again, no failure within the lockout), they are forgotten to make room.
        _time.Advance(TimeSpan.FromMinutes(10));
        _throttle.RecordFailure(IPAddress.Parse("203.0.113.1"));
        Assert.True(_throttle.TrackedNetworks < 10, $"{_throttle.TrackedNetworks} networks still tracked");
        Assert.False(_throttle.LockoutApplies(IPAddress.Parse("192.0.2.1")));
    }
}
