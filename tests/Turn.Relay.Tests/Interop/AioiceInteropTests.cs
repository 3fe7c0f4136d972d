using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>aioice's TURN client (python3-aioice) against Turnstone's engine.</summary>
[Trait("Category", "Interop")]
public sealed class AioiceInteropTests(RelayWithPeerFixture fixture) : IClassFixture<RelayWithPeerFixture>
{
    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Aioice_AllocatePermitRelayRefreshDelete_Works(ClientTransport transport)
    {
        var result = await AioiceTurnClient.RelayAsync(fixture.Relay.Target(transport), "127.0.0.1", fixture.Peer.Port, channelMessages: 5);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(InteropRelayHost.Realm, result.Realm);
        Assert.StartsWith("127.0.0.1:", result.RelayedEndPoint, StringComparison.Ordinal);
        Assert.True(result.Lifetime > 0, result.Output);
        Assert.True(result.PermissionCreated, result.Output);
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(["127.0.0.1", fixture.Peer.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)], result.DataIndicationSource!.Select(v => v.ToString()));
        Assert.Equal(5, result.ChannelMessagesSent);
        Assert.Equal(5, result.ChannelMessagesEchoed);
        Assert.Equal(0x4000, result.ChannelNumber);
        Assert.Equal(600, result.RefreshLifetime);
        Assert.Equal(0, result.DeleteLifetime);
        Assert.True(result.Deleted);
        // RFC 8656 section 7: a request on a deleted allocation gets 437 Allocation Mismatch.
        Assert.Equal(437, result.RefreshAfterDeleteError);
    }

    [Fact]
    public async Task Aioice_WrongPassword_Gets401()
    {
        var target = fixture.Relay.Target(ClientTransport.Udp).WithPassword("not-the-password");

        var result = await AioiceTurnClient.RelayAsync(target, "127.0.0.1", fixture.Peer.Port);

        Assert.False(result.Ok, result.Output);
        Assert.Equal("allocate", result.Step);
        Assert.Equal(401, result.ErrorCode);
    }
}
