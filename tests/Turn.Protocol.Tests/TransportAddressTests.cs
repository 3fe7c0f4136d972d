using System.Net;
using System.Net.Sockets;

namespace Turn.Protocol.Tests;

public class TransportAddressTests
{
    [Theory]
    [InlineData("192.0.2.1:3478")]
    [InlineData("[2001:db8::1]:65535")]
    [InlineData("0.0.0.0:0")]
    [InlineData("[::]:1")]
    public void FromIPEndPoint_ToIPEndPoint_RoundTrips(string text)
    {
        var endPoint = IPEndPoint.Parse(text);

        var address = TransportAddress.FromIPEndPoint(endPoint);

        Assert.Equal(endPoint, address.ToIPEndPoint());
        Assert.Equal(endPoint.ToString(), address.ToString());
    }

    [Fact]
    public void FromIPv4_StoresNetworkOrderInLowBits()
    {
        var address = TransportAddress.FromIPv4(0xC0000201, 80);

        Assert.Equal(StunAddressFamily.IPv4, address.Family);
        Assert.Equal((UInt128)0xC0000201, address.Address);
        Assert.Equal(IPAddress.Parse("192.0.2.1"), address.ToIPAddress());
        Assert.Equal(4, address.AddressLength);
    }

    [Theory]
    [InlineData("192.0.2.1:3478")]
    [InlineData("[2001:db8::1]:3478")]
    public void TryFromSocketAddress_SerializedEndPoint_ReadsSameAddress(string text)
    {
        var endPoint = IPEndPoint.Parse(text);
        SocketAddress socketAddress = endPoint.Serialize();

        Assert.True(TransportAddress.TryFromSocketAddress(socketAddress, out var address));

        Assert.Equal(TransportAddress.FromIPEndPoint(endPoint), address);
    }

    [Theory]
    [InlineData("198.51.100.7:9")]
    [InlineData("[2001:db8::9]:9")]
    public void TryWriteTo_SameFamily_ProducesSocketAddressEqualToSerializedEndPoint(string text)
    {
        var endPoint = IPEndPoint.Parse(text);
        var address = TransportAddress.FromIPEndPoint(endPoint);
        var socketAddress = new SocketAddress(endPoint.AddressFamily);

        Assert.True(address.TryWriteTo(socketAddress));

        Assert.Equal(endPoint.Serialize(), socketAddress);
        Assert.Equal(endPoint.Serialize(), address.ToSocketAddress());
    }

    [Fact]
    public void TryWriteTo_OtherFamily_ReturnsFalse()
    {
        var address = TransportAddress.FromIPv4(1, 1);
        Assert.False(address.TryWriteTo(new SocketAddress(AddressFamily.InterNetworkV6)));
    }

    [Theory]
    [InlineData("[::ffff:127.0.0.1]:5", "127.0.0.1:5")]
    [InlineData("[::ffff:169.254.169.254]:80", "169.254.169.254:80")]
    [InlineData("[::127.0.0.1]:5", "127.0.0.1:5")]
    [InlineData("[::10.1.2.3]:7", "10.1.2.3:7")]
    public void Canonicalize_EmbeddedIPv4_ReturnsIPv4(string input, string expected)
    {
        Assert.True(TransportAddress.TryParse(input, out var address));
        Assert.True(TransportAddress.TryParse(expected, out var ipv4));

        Assert.Equal(ipv4, address.Canonicalize());
    }

    [Theory]
    [InlineData("[::]:5")]
    [InlineData("[::1]:5")]
    [InlineData("[2001:db8::1]:5")]
    [InlineData("[::ffff:0:1.2.3.4]:5")] // SIIT-translated, not IPv4-mapped
    [InlineData("1.2.3.4:5")]
    public void Canonicalize_OtherAddresses_ReturnsUnchanged(string input)
    {
        Assert.True(TransportAddress.TryParse(input, out var address));
        Assert.Equal(address, address.Canonicalize());
    }

    [Fact]
    public void Equality_SameValues_AreEqualAndHashAlikeAsDictionaryKeys()
    {
        TransportAddress.TryParse("[2001:db8::1]:3478", out var a);
        TransportAddress.TryParse("[2001:db8::1]:3478", out var b);
        var map = new Dictionary<TransportAddress, int> { [a] = 1 };

        Assert.True(a == b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.Equal(1, map[b]);
        Assert.NotEqual(a, a.WithPort(3479));
        Assert.NotEqual(TransportAddress.FromIPv4(1, 1), new TransportAddress(StunAddressFamily.IPv6, 1, 1));
    }

    [Fact]
    public void Constructor_IPv4WithMoreThan32Bits_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TransportAddress(StunAddressFamily.IPv4, (UInt128)uint.MaxValue + 1, 1));
    }

    [Fact]
    public void Default_HasNoFamilyAndPrintsNone()
    {
        TransportAddress address = default;
        Assert.Equal(StunAddressFamily.None, address.Family);
        Assert.Equal("(none)", address.ToString());
        Assert.Equal(0, address.AddressLength);
    }
}
