using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Turn.Relay.Redirects;
using Turn.Relay.Seams;

namespace Turn.Relay.Tests.Redirects;

public sealed class ConfiguredAlternateServerDirectoryTests
{
    private static ConfiguredAlternateServerDirectory Directory(params string[] entries) =>
        new(Options.Create(new RelayOptions { AlternateServers = [.. entries] }));

    [Fact]
    public void TryGetAlternate_SameTransportAndFamily_RoundRobin()
    {
        var directory = Directory("udp=192.0.2.8:3478", "udp=192.0.2.9:3478", "tcp=192.0.2.10:3478", "udp=[2001:db8::8]:3478");

        var seen = Enumerable.Range(0, 4).Select(_ => directory.TryGetAlternate(RelayTransport.Udp, AddressFamily.InterNetwork, out var a) ? a.ToString() : "none").ToList();

        Assert.Equal(2, seen.Distinct().Count());
        Assert.All(seen, s => Assert.StartsWith("192.0.2.", s, StringComparison.Ordinal));
        Assert.True(directory.TryGetAlternate(RelayTransport.Udp, AddressFamily.InterNetworkV6, out var v6));
        Assert.Equal(IPEndPoint.Parse("[2001:db8::8]:3478"), v6);
        Assert.False(directory.TryGetAlternate(RelayTransport.Tls, AddressFamily.InterNetwork, out _));
    }

    [Fact]
    public void TryGetAlternate_NoneConfigured_False()
    {
        Assert.False(Directory().TryGetAlternate(RelayTransport.Udp, AddressFamily.InterNetwork, out _));
    }

    [Theory]
    [InlineData("192.0.2.8:3478")]
    [InlineData("sctp=192.0.2.8:3478")]
    [InlineData("udp=192.0.2.8")]
    [InlineData("udp=turn.example.org:3478")]
    [InlineData("udp=0.0.0.0:3478")]
    public void Validation_BadEntry_NamesTheKey(string entry)
    {
        var result = new RelayOptionsValidator().Validate(null, new RelayOptions { AlternateServers = [entry] });

        Assert.True(result.Failed);
        Assert.Contains("Relay:AlternateServers:0", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_GoodEntries_Pass()
    {
        var result = new RelayOptionsValidator().Validate(null,
            new RelayOptions { AlternateServers = ["udp=192.0.2.8:3478", "TLS=[2001:db8::8]:5349"] });

        Assert.False(result.Failed, result.FailureMessage);
    }
}
