using System.Net;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>A relay that allows loopback peers (listening on 127.0.0.1 and ::1), and turnutils_peer echo peers on both.</summary>
public sealed class RelayWithPeerFixture : IAsyncLifetime
{
    public InteropRelayHost Relay { get; private set; } = null!;

    public TurnutilsPeer Peer { get; private set; } = null!;

    public TurnutilsPeer IPv6Peer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true, listenOnIPv6Loopback: true);
        Peer = await TurnutilsPeer.StartAsync();
        IPv6Peer = await TurnutilsPeer.StartAsync(IPAddress.IPv6Loopback);
    }

    public async Task DisposeAsync()
    {
        if (IPv6Peer is not null)
        {
            await IPv6Peer.DisposeAsync();
        }

        if (Peer is not null)
        {
            await Peer.DisposeAsync();
        }

        if (Relay is not null)
        {
            await Relay.DisposeAsync();
        }
    }
}
