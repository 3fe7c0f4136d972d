using System.Net;
using Admin.Data.Credentials;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Relay;

/// <summary>
/// Issue 3's "done when" for real clients, against `turnstone serve` on PostgreSQL with a user the CLI made:
/// coturn's turnutils_stunclient and turnutils_uclient, and aioice's TURN client.
/// </summary>
[Collection(RelayCollection.Name)]
[Trait("Category", "E2E")]
public sealed class CohostedClientTests(CohostedRelayFixture fixture)
{
    private const int Messages = 10;
    private const int Clients = 2;

    private UclientOptions Options => new() { Messages = Messages, Clients = Clients, PeerPort = fixture.Peer.Port };

    [Fact]
    public async Task StunClient_Binding_GetsItsOwnAddressAsXorMappedAddress()
    {
        var result = await TurnutilsStunClient.RunAsync("127.0.0.1", fixture.App.Port);

        Assert.True(result.MappedAddress is not null, result.Process.Output);
        Assert.Equal(IPAddress.Loopback, result.MappedAddress.Address);
        // The client's own ephemeral port, not the server's.
        Assert.NotEqual(0, result.MappedAddress.Port);
        Assert.NotEqual(fixture.App.Port, result.MappedAddress.Port);
    }

    [Theory]
    [InlineData(ClientTransport.Udp, false, false)]
    [InlineData(ClientTransport.Tcp, false, false)]
    [InlineData(ClientTransport.Udp, true, false)]
    [InlineData(ClientTransport.Tcp, true, false)]
    [InlineData(ClientTransport.Udp, false, true)]
    [InlineData(ClientTransport.Tcp, false, true)]
    public async Task Uclient_RelaysWithZeroLoss(ClientTransport transport, bool sendIndications, bool clientToClient)
    {
        var result = await TurnutilsUclient.RunAsync(fixture.Target(transport), Options with { UseSendIndications = sendIndications, ClientToClient = clientToClient });

        Assert.True(result.IsZeroLoss(Messages * Clients),
            $"sent={result.SentMessages} received={result.ReceivedMessages} lost={result.LostPackets} dropped={result.SendDropped} " +
            $"timedOut={result.Process.TimedOut} exit={result.Process.ExitCode}\n{result.Process.Output}");
        Assert.Equal(Messages * Clients * 100L, result.ReceivedBytes);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Uclient_WrongPassword_IsRefused(ClientTransport transport)
    {
        var result = await TurnutilsUclient.RunAsync(fixture.Target(transport).WithPassword("not-the-password"), Options with { Clients = 1 });

        Assert.True(result.AllocationFailed, result.Process.Output);
        Assert.Null(result.SentMessages);
        Assert.False(result.Process.TimedOut, result.Process.Output);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    [InlineData(ClientTransport.Tls)]
    public async Task Aioice_AllocatesPermitsRelaysRefreshesAndDeletes(ClientTransport transport)
    {
        // Over TLS aioice verifies the certificate chain and host name against the test CA.
        var caFile = transport == ClientTransport.Tls ? fixture.App.CaFile : null;
        var result = await AioiceTurnClient.RelayAsync(fixture.Target(transport), "127.0.0.1", fixture.Peer.Port, channelMessages: 5, caFile: caFile);

        Assert.True(result.Ok, $"failed at {result.Step}: {result.Error}\n{result.Output}");
        Assert.Equal(CohostedRelayApp.Realm, result.Realm);
        Assert.True(result.PermissionCreated, result.Output);
        Assert.True(result.DataIndicationEchoed, result.Output);
        Assert.Equal(5, result.ChannelMessagesEchoed);
        Assert.Equal(600, result.RefreshLifetime);
        Assert.True(result.Deleted, result.Output);
        Assert.Equal(437, result.RefreshAfterDeleteError);
    }

    [Fact]
    public async Task UserHash_InsteadOfUserName_IsResolvedThroughPostgres()
    {
        Assert.IsType<PostgresCredentialStore>(fixture.App.Services.GetRequiredService<IUserHashResolver>());
        using var probe = new TurnProbe(fixture.App.UdpEndPoint, CohostedRelayApp.Realm, CohostedRelayFixture.User, CohostedRelayFixture.Password, useUserHash: true);

        Assert.Equal(0, await probe.AllocateAsync());
        Assert.Equal(0, await probe.RefreshAsync(0));
        using var wrong = new TurnProbe(fixture.App.UdpEndPoint, CohostedRelayApp.Realm, CohostedRelayFixture.User, "wrong", useUserHash: true);
        Assert.Equal(401, await wrong.AllocateAsync());
    }
}
