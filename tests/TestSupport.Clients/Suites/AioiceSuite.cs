using System.Globalization;

namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>aioice's TURN client (python3-aioice) against a Turnstone host.</summary>
public abstract class AioiceSuite(IInteropRelayFixture fixture)
{
    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    [InlineData(ClientTransport.Tls)]
    public async Task Aioice_AllocatePermitRelayRefreshDelete_Works(ClientTransport transport)
    {
        // Over TLS aioice verifies the certificate chain and host name against the test CA.
        var caFile = transport == ClientTransport.Tls ? fixture.CaFile : null;
        var result = await AioiceTurnClient.RelayAsync(fixture.Target(transport), "127.0.0.1", fixture.Peer.Port, channelMessages: 5, caFile: caFile);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(fixture.Realm, result.Realm);
        Assert.StartsWith("127.0.0.1:", result.RelayedEndPoint, StringComparison.Ordinal);
        Assert.True(result.Lifetime > 0, result.Output);
        Assert.True(result.PermissionCreated, result.Output);
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(["127.0.0.1", fixture.Peer.Port.ToString(CultureInfo.InvariantCulture)], result.DataIndicationSource!.Select(v => v.ToString()));
        Assert.Equal(5, result.ChannelMessagesSent);
        Assert.Equal(5, result.ChannelMessagesEchoed);
        Assert.Equal(0x4000, result.ChannelNumber);
        Assert.Equal(600, result.RefreshLifetime);
        Assert.Equal(0, result.DeleteLifetime);
        Assert.True(result.Deleted, result.Output);
        // RFC 8656 section 7: a request on a deleted allocation gets 437 Allocation Mismatch.
        Assert.Equal(437, result.RefreshAfterDeleteError);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Aioice_IPv6AllocationOverIPv6_RelaysToAnIPv6Peer(ClientTransport transport)
    {
        var result = await AioiceTurnClient.RelayAsync(fixture.IPv6Target(transport), "::1", fixture.IPv6Peer.Port, channelMessages: 5, family: "ipv6");

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal("::1", result.RelayedAddress![0].ToString());
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(5, result.ChannelMessagesEchoed);
        Assert.Equal(437, result.RefreshAfterDeleteError);
    }

    [Fact]
    public async Task Aioice_WrongPassword_Gets401()
    {
        var target = fixture.Target(ClientTransport.Udp).WithPassword("not-the-password");

        var result = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", fixture.Peer.Port);

        Assert.False(result.Ok, result.Output);
        Assert.Equal("allocate", result.Step);
        Assert.Equal(401, result.ErrorCode);
    }
}
