using System.Net;

namespace Turnstone.TestSupport.Clients.Suites;

/// <summary>coturn's own test clients (turnutils_stunclient, turnutils_uclient) against a Turnstone host.</summary>
public abstract class TurnutilsSuite(IInteropRelayFixture fixture)
{
    private const int Messages = 10;
    private const int Clients = 2;

    private UclientOptions Options => new() { Messages = Messages, Clients = Clients, PeerPort = fixture.Peer.Port };

    [Fact]
    public async Task StunClient_Binding_GetsItsLoopbackAddressAsXorMappedAddress()
    {
        var port = fixture.Target(ClientTransport.Udp).Port;
        var result = await TurnutilsStunClient.RunAsync("127.0.0.1", port);

        Assert.True(result.MappedAddress is not null, result.Process.Output);
        Assert.Equal(IPAddress.Loopback, result.MappedAddress.Address);
        // The client's own ephemeral port, not the server's.
        Assert.NotEqual(0, result.MappedAddress.Port);
        Assert.NotEqual(port, result.MappedAddress.Port);
        Assert.Equal(0, result.Process.ExitCode);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Uclient_ChannelsToPeer_ZeroLoss(ClientTransport transport)
    {
        var result = await TurnutilsUclient.RunAsync(fixture.Target(transport), Options);
        AssertZeroLoss(result);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Uclient_SendIndicationsToPeer_ZeroLoss(ClientTransport transport)
    {
        var result = await TurnutilsUclient.RunAsync(fixture.Target(transport), Options with { UseSendIndications = true });
        AssertZeroLoss(result);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Uclient_ClientToClient_ZeroLoss(ClientTransport transport)
    {
        var result = await TurnutilsUclient.RunAsync(fixture.Target(transport), Options with { ClientToClient = true });
        AssertZeroLoss(result);
    }

    [Fact]
    public async Task Uclient_WithRtcpTwins_EvenPortReservations_ZeroLoss()
    {
        // Without -c uclient allocates RTP/RTCP pairs: EVEN-PORT with the R bit, then RESERVATION-TOKEN.
        var result = await TurnutilsUclient.RunAsync(fixture.Target(ClientTransport.Udp), Options with { NoRtcp = false });
        AssertZeroLoss(result);
    }

    [Fact]
    public async Task Uclient_OverTls_ZeroLoss()
    {
        // uclient's -E does not make it refuse an unverifiable certificate (checked against coturn:
        // with a wrong CA file it retries and connects), so this proves TLS interop only; the
        // Chromium turns: tests prove the certificate verifies.
        var target = fixture.Target(ClientTransport.Tls) with { Host = "127.0.0.1" };
        var result = await TurnutilsUclient.RunAsync(target, Options with { CaFile = fixture.CaFile });
        AssertZeroLoss(result);
    }

    [Theory]
    [InlineData(ClientTransport.Udp)]
    [InlineData(ClientTransport.Tcp)]
    public async Task Uclient_WrongPassword_IsRefused(ClientTransport transport)
    {
        var target = fixture.Target(transport).WithPassword("not-the-password");
        var result = await TurnutilsUclient.RunAsync(target, Options with { Clients = 1 });

        Assert.True(result.AllocationFailed, result.Process.Output);
        Assert.Null(result.SentMessages);
        Assert.NotEqual(0, result.Process.ExitCode);
        Assert.False(result.Process.TimedOut, result.Process.Output);
    }

    private static void AssertZeroLoss(UclientResult result)
    {
        Assert.True(result.IsZeroLoss(Messages * Clients),
            $"sent={result.SentMessages} received={result.ReceivedMessages} lost={result.LostPackets} dropped={result.SendDropped} " +
            $"timedOut={result.Process.TimedOut} exit={result.Process.ExitCode}\n{result.Process.Output}");
        Assert.Equal(Messages * Clients * 100L, result.ReceivedBytes);
    }
}
