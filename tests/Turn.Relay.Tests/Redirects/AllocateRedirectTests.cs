using System.Net;
using Microsoft.Extensions.Options;
using Turn.Protocol;
using Turn.Relay.Redirects;
using Turn.Relay.Tests.Support;

namespace Turn.Relay.Tests.Redirects;

/// <summary>300 Try Alternate from a draining or full node (RFC 8489 section 10), before and after authentication.</summary>
public sealed class AllocateRedirectTests
{
    private static readonly TransportAddress UdpAlternate = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.8"), 3478);
    private static readonly TransportAddress TcpAlternate = TransportAddress.FromIPAddress(IPAddress.Parse("192.0.2.9"), 3479);

    private static EngineHarness Harness(Action<RelayOptions>? configure = null, params string[] alternates)
    {
        var options = new RelayOptions { AlternateServers = alternates.Length > 0 ? [.. alternates] : ["udp=192.0.2.8:3478", "tcp=192.0.2.9:3479"] };
        return new EngineHarness(configure, alternates: new ConfiguredAlternateServerDirectory(Options.Create(options)));
    }

    private static StunResponse FirstAllocate(TestClient client) =>
        client.Request(StunMethod.Allocate, (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false);

    [Fact]
    public void Draining_FirstUnauthenticatedAllocate_Gets300WithAlternateAndNoRealmOrNonce()
    {
        using var harness = Harness();
        harness.Engine.Control.Drain();

        var response = FirstAllocate(harness.NewClient());

        Assert.Equal(300, response.ErrorCode);
        Assert.Equal(UdpAlternate, response.AlternateServer);
        // A client that took REALM/NONCE from here would carry this node's nonce to the alternate (Chromium then fails).
        Assert.Null(response.Realm);
        Assert.Null(response.Nonce);
        Assert.False(response.HasMessageIntegrity);
    }

    [Fact]
    public void Draining_AuthenticatedAllocate_Gets300SignedWithTheRequestKey()
    {
        using var harness = Harness();
        var client = harness.NewClient();
        client.Challenge();
        harness.Engine.Control.Drain();

        var response = client.Allocate();

        Assert.Equal(300, response.ErrorCode);
        Assert.Equal(UdpAlternate, response.AlternateServer);
        Assert.True(response.VerifyIntegrity(client.Key));
        Assert.Empty(harness.Sockets.Bound);
    }

    [Fact]
    public void Draining_StreamClient_GetsTheTcpAlternate()
    {
        using var harness = Harness();
        harness.Engine.Control.Drain();
        var client = harness.NewStreamClient(out _);

        var response = FirstAllocate(client);

        Assert.Equal(300, response.ErrorCode);
        Assert.Equal(TcpAlternate, response.AlternateServer);
    }

    [Fact]
    public void Draining_NoAlternateOfTheClientsTransport_KeepsTodaysAnswers()
    {
        using var harness = Harness(null, "tls=192.0.2.10:5349", "udp=[2001:db8::8]:3478");
        harness.Engine.Control.Drain();
        var client = harness.NewClient();

        Assert.Equal(401, FirstAllocate(client).ErrorCode);
        client.Challenge();
        Assert.Equal(508, client.Allocate().ErrorCode);
    }

    [Fact]
    public void Draining_RedirectWhenDrainingOff_Gets508()
    {
        using var harness = Harness(o => o.RedirectWhenDraining = false);
        harness.Engine.Control.Drain();
        var client = harness.NewClient();

        Assert.Equal(401, FirstAllocate(client).ErrorCode);
        client.Challenge();
        Assert.Equal(508, client.Allocate().ErrorCode);
    }

    [Fact]
    public void NotDrainingNorFull_AllocateSucceedsHere()
    {
        using var harness = Harness();
        var client = harness.NewClient();

        Assert.Equal(401, FirstAllocate(client).ErrorCode);
        Assert.True(client.Allocate().IsSuccess);
    }

    [Fact]
    public void Full_AtMaxAllocations_NewClientIsRedirectedBeforeAndAfterAuthentication()
    {
        using var harness = Harness(o => o.MaxAllocations = 1);
        var waiting = harness.NewClient();
        waiting.Challenge();
        harness.Allocated(out _);

        Assert.Equal(UdpAlternate, FirstAllocate(harness.NewClient()).AlternateServer);
        var signed = waiting.Allocate();
        Assert.Equal(300, signed.ErrorCode);
        Assert.True(signed.VerifyIntegrity(waiting.Key));
    }

    [Fact]
    public void Full_RedirectWhenFullOff_Gets508()
    {
        using var harness = Harness(o => { o.MaxAllocations = 1; o.RedirectWhenFull = false; });
        harness.Allocated(out _);
        var client = harness.NewClient();

        Assert.Equal(401, FirstAllocate(client).ErrorCode);
        client.Challenge();
        Assert.Equal(508, client.Allocate().ErrorCode);
    }

    [Fact]
    public void Full_NoRelayPortLeft_NewClientIsRedirected()
    {
        using var harness = Harness(o => { o.MinPort = 50000; o.MaxPort = 50000; });
        harness.Allocated(out _);

        var response = FirstAllocate(harness.NewClient());

        Assert.Equal(300, response.ErrorCode);
        Assert.Equal(UdpAlternate, response.AlternateServer);
    }

    [Fact]
    public void Draining_ExistingAllocation_StillRefreshes()
    {
        using var harness = Harness();
        var client = harness.Allocated(out _);
        harness.Engine.Control.Drain();

        Assert.True(client.Refresh().IsSuccess);
    }

    [Fact]
    public void Draining_PreAuthRedirects_StayWithinTheUnauthenticatedAnswerBudget()
    {
        using var harness = Harness(o => { o.UnauthenticatedAnswersPerSecond = 1; o.UnauthenticatedAnswerBurst = 2; });
        harness.Engine.Control.Drain();
        var client = harness.NewClient();

        var answered = 0;
        for (var i = 0; i < 5; i++)
        {
            client.SendRaw(client.BuildRequest(StunMethod.Allocate, TransactionId.NewRandom(), (ref StunMessageWriter w) => w.WriteRequestedTransport(17), authenticate: false));
            answered += client.Drain().Count;
        }

        Assert.Equal(2, answered);
    }
}
