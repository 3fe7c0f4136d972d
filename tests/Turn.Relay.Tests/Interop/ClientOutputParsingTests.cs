using System.Net;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>The drivers' parsers, on output captured from coturn 4.6.1's tools (run against coturn's turnserver).</summary>
public class ClientOutputParsingTests
{
    private const string UclientZeroLoss = """
        0: : Total connect time is 0
        0: : Total connect time is 0
        1: : start_mclient: msz=2, tot_send_msgs=0, tot_recv_msgs=0, tot_send_bytes ~ 0, tot_recv_bytes ~ 0
        2: : start_mclient: msz=2, tot_send_msgs=12, tot_recv_msgs=11, tot_send_bytes ~ 1200, tot_recv_bytes ~ 1100
        3: : start_mclient: tot_send_msgs=20, tot_recv_msgs=20
        3: : start_mclient: tot_send_bytes ~ 2000, tot_recv_bytes ~ 2000
        3: : Total transmit time is 3
        3: : Total lost packets 0 (0.000000%), total send dropped 0 (0.000000%)
        3: : Average round trip delay 0.300000 ms; min = 0 ms, max = 1 ms
        3: : Average jitter 0.400000 ms; min = 0 ms, max = 3 ms
        """;

    private const string UclientAllLost = """
        0: : Total connect time is 0
        1: : start_mclient: msz=1, tot_send_msgs=0, tot_recv_msgs=0, tot_send_bytes ~ 0, tot_recv_bytes ~ 0
        3: : start_mclient: tot_send_msgs=10, tot_recv_msgs=0
        3: : start_mclient: tot_send_bytes ~ 1000, tot_recv_bytes ~ 0
        3: : Total transmit time is 3
        3: : Total lost packets 10 (100.000000%), total send dropped 0 (0.000000%)
        3: : Average round trip delay 0.000000 ms; min = 0 ms, max = 0 ms
        """;

    private const string UclientRefused = """
        0: : ERROR: Cannot complete Allocation
        0: : ERROR: Cannot complete Allocation
        """;

    [Fact]
    public void UclientParse_ZeroLossRun_ReadsTheFinalTotals()
    {
        var result = TurnutilsUclient.Parse(new ProcessResult(0, false, UclientZeroLoss, string.Empty));

        Assert.Equal(20, result.SentMessages);
        Assert.Equal(20, result.ReceivedMessages);
        Assert.Equal(2000, result.SentBytes);
        Assert.Equal(2000, result.ReceivedBytes);
        Assert.Equal(0, result.LostPackets);
        Assert.Equal(0.0, result.LostPercent);
        Assert.Equal(0, result.SendDropped);
        Assert.Equal(0.3, result.AverageRoundTripMilliseconds);
        Assert.False(result.AllocationFailed);
        Assert.True(result.IsZeroLoss(20));
        Assert.False(result.IsZeroLoss(10));
    }

    [Fact]
    public void UclientParse_EverythingLostButExitZero_IsNotZeroLoss()
    {
        var result = TurnutilsUclient.Parse(new ProcessResult(0, false, UclientAllLost, string.Empty));

        Assert.Equal(10, result.SentMessages);
        Assert.Equal(0, result.ReceivedMessages);
        Assert.Equal(10, result.LostPackets);
        Assert.Equal(100.0, result.LostPercent);
        Assert.False(result.IsZeroLoss(10));
    }

    [Fact]
    public void UclientParse_RefusedAllocation_HasNoTotals()
    {
        var result = TurnutilsUclient.Parse(new ProcessResult(255, false, UclientRefused, string.Empty));

        Assert.True(result.AllocationFailed);
        Assert.Empty(result.ErrorCodes);
        Assert.Null(result.SentMessages);
        Assert.Null(result.ReceivedMessages);
        Assert.False(result.IsZeroLoss(10));
    }

    [Fact]
    public void UclientParse_RefusedChannelBind_CollectsTheErrorCode()
    {
        const string refused = "0: : channel bind: error 403 (Forbidden)\n0: : channel bind: error 403 (Forbidden)\n";

        var result = TurnutilsUclient.Parse(new ProcessResult(0, false, refused, string.Empty));

        Assert.Equal([403], result.ErrorCodes);
        Assert.False(result.AllocationFailed);
        Assert.False(result.IsZeroLoss(5));
    }

    [Fact]
    public void UclientParse_TimedOut_IsNotZeroLoss()
    {
        var result = TurnutilsUclient.Parse(new ProcessResult(124, true, UclientZeroLoss, string.Empty));
        Assert.False(result.IsZeroLoss(20));
    }

    [Fact]
    public void UclientArguments_MapOptionsToFlags()
    {
        var server = new TurnServerTarget("127.0.0.1", 43478, ClientTransport.Tcp, "example.org", "alice", "secret");
        var arguments = TurnutilsUclient.BuildArguments(server, new UclientOptions
        {
            Messages = 7,
            Clients = 2,
            MessageLength = 64,
            UseSendIndications = true,
            ClientToClient = true,
            PeerPort = 45000,
        });

        Assert.Equal(
            ["-t", "-c", "-s", "-y", "-n", "7", "-m", "2", "-l", "64", "-e", "127.0.0.1", "-r", "45000", "-u", "alice", "-w", "secret", "-p", "43478", "127.0.0.1"],
            arguments);
    }

    [Theory]
    [InlineData("0: : IPv4. UDP reflexive addr: 127.0.0.1:59615\n0: : IPv4. UDP reflexive addr: 127.0.0.1:59615\n", "127.0.0.1:59615")]
    [InlineData("0: : IPv6. UDP reflexive addr: ::1:36610\n0: : IPv6. UDP reflexive addr: ::1:36610\n", "[::1]:36610")]
    [InlineData("0: : IPv6. UDP reflexive addr: 2001:db8::5:443\n", "[2001:db8::5]:443")]
    public void StunClientParse_ReadsTheReflexiveAddress(string output, string expected)
    {
        Assert.Equal(IPEndPoint.Parse(expected), TurnutilsStunClient.ParseMappedAddress(output));
    }

    [Fact]
    public void StunClientParse_NoAnswer_IsNull()
    {
        Assert.Null(TurnutilsStunClient.ParseMappedAddress(string.Empty));
    }

    [Theory]
    [InlineData(ClientTransport.Udp, "turn:127.0.0.1:3478?transport=udp")]
    [InlineData(ClientTransport.Tcp, "turn:127.0.0.1:3478?transport=tcp")]
    [InlineData(ClientTransport.Tls, "turns:127.0.0.1:3478?transport=tcp")]
    public void IceServerUrl_FollowsRfc7065(ClientTransport transport, string expected)
    {
        var server = new TurnServerTarget("127.0.0.1", 3478, transport, "example.org", "alice", "secret");
        Assert.Equal(expected, WebRtcRelayPage.IceServerUrl(server));
    }
}
