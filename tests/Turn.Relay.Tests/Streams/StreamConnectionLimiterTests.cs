using System.Net;
using Turn.Relay.Transports;

namespace Turn.Relay.Tests.Streams;

public sealed class StreamConnectionLimiterTests
{
    [Fact]
    public void TryAcquire_PerAddressThenServerWide_AndReleaseFreesTheSlot()
    {
        var limiter = new StreamConnectionLimiter(maxConnections: 3, maxPerAddress: 2);
        var a = IPAddress.Parse("192.0.2.1");
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(a));
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(a));
        Assert.Equal(StreamConnectionAdmission.AddressLimit, limiter.TryAcquire(a));
        // The IPv4-mapped form is the same client.
        Assert.Equal(StreamConnectionAdmission.AddressLimit, limiter.TryAcquire(a.MapToIPv6()));
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(IPAddress.Parse("192.0.2.2")));
        Assert.Equal(StreamConnectionAdmission.ServerLimit, limiter.TryAcquire(IPAddress.Parse("192.0.2.3")));
        limiter.Release(a);
        Assert.Equal(2, limiter.Count);
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(a));
    }

    [Fact]
    public void TryAcquire_IPv6_IsCountedPerSlash64()
    {
        var limiter = new StreamConnectionLimiter(maxConnections: 100, maxPerAddress: 2);
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2::1")));
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:ffff::9")));
        Assert.Equal(StreamConnectionAdmission.AddressLimit, limiter.TryAcquire(IPAddress.Parse("2001:db8:1:2:1234:5678:9abc:def0")));
        Assert.Equal(StreamConnectionAdmission.Admitted, limiter.TryAcquire(IPAddress.Parse("2001:db8:1:3::1")));
    }
}
