using System.Net;
using System.Net.Sockets;
using Turn.Relay.Policy;

namespace Turn.Relay.Tests.Policy;

public class IpRangeTests
{
    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData(" 10.0.0.1 ", "10.0.0.1")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("10.0.0.0-10.255.255.255", "10.0.0.0/8")]
    [InlineData("10.0.0.1-10.0.0.9", "10.0.0.1-10.0.0.9")]
    [InlineData("10.0.0.1 - 10.0.0.9", "10.0.0.1-10.0.0.9")]
    [InlineData("fe80::1", "fe80::1")]
    [InlineData("FC00::/7", "fc00::/7")]
    [InlineData("::/0", "::/0")]
    [InlineData("2001:db8::1-2001:db8::ff", "2001:db8::1-2001:db8::ff")]
    [InlineData("::ffff:10.0.0.0/104", "10.0.0.0/8")]
    [InlineData("::ffff:192.0.2.1", "192.0.2.1")]
    public void TryParse_ValidForms_RoundTripToShortestForm(string text, string expected)
    {
        Assert.True(IpRange.TryParse(text, out var range, out var error), error);
        Assert.Equal(expected, range.ToString());
        Assert.Equal(range, IpRange.Parse(range.ToString()));
    }

    [Theory]
    [InlineData("10.0.0.0/8", "10.255.255.255", true)]
    [InlineData("10.0.0.0/8", "11.0.0.0", false)]
    [InlineData("10.0.0.0/8", "9.255.255.255", false)]
    [InlineData("10.0.0.1-10.0.0.9", "10.0.0.1", true)]
    [InlineData("10.0.0.1-10.0.0.9", "10.0.0.9", true)]
    [InlineData("10.0.0.1-10.0.0.9", "10.0.0.10", false)]
    [InlineData("10.0.0.1", "10.0.0.1", true)]
    [InlineData("10.0.0.0/8", "::ffff:10.0.0.1", false)]
    [InlineData("fc00::/7", "fdff:ffff::1", true)]
    [InlineData("fc00::/7", "fe00::1", false)]
    [InlineData("::/0", "10.0.0.1", false)]
    [InlineData("0.0.0.0/0", "2001:db8::1", false)]
    public void Contains_ChecksBoundsAndFamily(string rangeText, string addressText, bool expected)
    {
        var range = IpRange.Parse(rangeText);
        Assert.Equal(expected, range.Contains(IPAddress.Parse(addressText)));
    }

    [Fact]
    public void FirstLastAndFamily_DescribeTheRange()
    {
        var range = IpRange.Parse("192.168.0.0/16");
        Assert.Equal(IPAddress.Parse("192.168.0.0"), range.First);
        Assert.Equal(IPAddress.Parse("192.168.255.255"), range.Last);
        Assert.Equal(AddressFamily.InterNetwork, range.AddressFamily);
        Assert.Equal(AddressFamily.InterNetworkV6, IpRange.Parse("fe80::/10").AddressFamily);
    }

    [Fact]
    public void FromCidr_BuildsTheSameRangeAsParse()
    {
        Assert.Equal(IpRange.Parse("172.16.0.0/12"), IpRange.FromCidr(IPAddress.Parse("172.16.0.0"), 12));
        Assert.Throws<ArgumentException>(() => IpRange.FromCidr(IPAddress.Parse("172.16.0.1"), 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => IpRange.FromCidr(IPAddress.Parse("172.16.0.0"), 33));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("not-an-ip", "first address is not a valid IPv4 address")]
    [InlineData("hello", "'hello' is not a valid IPv4 address")]
    [InlineData("256.0.0.1", "0-255")]
    [InlineData("127.1", "four decimal numbers")]
    [InlineData("010.0.0.1", "without leading zeros")]
    [InlineData("0x7f.0.0.1", "four decimal numbers")]
    [InlineData("1.2.3.4.5", "four decimal numbers")]
    [InlineData("10.0.0.0/33", "prefix length must be a whole number from 0 to 32")]
    [InlineData("fc00::/129", "from 0 to 128")]
    [InlineData("10.0.0.0/", "prefix length")]
    [InlineData("10.0.0.0/-1", "mixes a CIDR prefix and a range")]
    [InlineData("10.0.0.0/x", "prefix length")]
    [InlineData("10.0.0.1/8", "did you mean 10.0.0.0/8?")]
    [InlineData("10.0.0.9-10.0.0.1", "runs backwards")]
    [InlineData("10.0.0.1-fe80::1", "mixes an IPv4 and an IPv6 address")]
    [InlineData("10.0.0.1-", "the last address is missing")]
    [InlineData("fe80::1%eth0", "zone index")]
    [InlineData("fe80:::1", "not a valid IPv6 address")]
    [InlineData("[::1]", "not a valid IPv6 address")]
    [InlineData("[::1]:80", "not a valid IPv6 address")]
    [InlineData("::ffff:1.2.3", "not a valid IPv6 address")]
    public void TryParse_BadInput_GivesAClearError(string text, string expectedFragment)
    {
        Assert.False(IpRange.TryParse(text, out var range, out var error));
        Assert.Equal(default, range);
        Assert.Contains(expectedFragment, error, StringComparison.Ordinal);
        var exception = Assert.Throws<FormatException>(() => IpRange.Parse(text));
        Assert.Equal(error, exception.Message);
    }

    [Fact]
    public void TryParse_Null_GivesAClearError()
    {
        Assert.False(IpRange.TryParse(null, out _, out var error));
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_ContainsNothing()
    {
        Assert.False(default(IpRange).Contains(IPAddress.Any));
        Assert.Equal(string.Empty, default(IpRange).ToString());
    }
}
