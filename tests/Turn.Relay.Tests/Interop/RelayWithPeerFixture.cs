using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Interop;

/// <summary>A relay that allows loopback peers, and a turnutils_peer echo peer beside it.</summary>
public sealed class RelayWithPeerFixture : IAsyncLifetime
{
    public InteropRelayHost Relay { get; private set; } = null!;

    public TurnutilsPeer Peer { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true);
        Peer = await TurnutilsPeer.StartAsync();
    }

    public async Task DisposeAsync()
    {
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
