using Turnstone.TestSupport.Clients;
using Xunit.Abstractions;

namespace Turn.Relay.Tests.Interop;

/// <summary>
/// The default per-user quota (issue 13) against a real client: aioice clients with one user's credentials, each from
/// its own UDP port and holding its allocation, get Relay:UserQuota (default 10) allocations; the next one gets 486.
/// </summary>
[Trait("Category", "Interop")]
public sealed class DefaultQuotaInteropTests(ITestOutputHelper output) : IAsyncLifetime
{
    private InteropRelayHost _relay = null!;
    private TurnutilsPeer _peer = null!;

    public async Task InitializeAsync()
    {
        // userQuota null: the relay's own default, as an operator who sets nothing gets it.
        _relay = await InteropRelayHost.StartAsync(allowLoopbackPeers: true, userQuota: null);
        _peer = await TurnutilsPeer.StartAsync();
    }

    [Fact]
    public async Task Aioice_OneAllocationBeyondTheDefaultUserQuota_Gets486()
    {
        var target = _relay.Target(ClientTransport.Udp);
        var quota = new RelayOptions().UserQuota;
        var sessions = new List<AioiceHoldSession>();
        try
        {
            for (var i = 0; i < quota; i++)
            {
                sessions.Add(await AioiceHoldSession.StartAsync(target, "127.0.0.1", _peer.Port, TimeSpan.FromSeconds(30), interval: TimeSpan.FromSeconds(1)));
            }
            Assert.All(sessions, s => Assert.True(s.IsRunning, "an allocation within the quota failed"));

            using var beyond = await AioiceHoldSession.StartAsync(target, "127.0.0.1", _peer.Port, TimeSpan.FromSeconds(5));
            var refused = await beyond.WaitAsync();
            output.WriteLine(refused.Output);
            Assert.False(refused.Ok);
            Assert.Equal("allocate", refused.Step);
            Assert.Equal(486, refused.ErrorCode);
            Assert.All(sessions, s => Assert.True(s.IsRunning, "a held allocation ended"));
        }
        finally
        {
            foreach (var session in sessions)
            {
                session.Stop();
                await session.WaitAsync();
                session.Dispose();
            }
        }
    }

    public async Task DisposeAsync()
    {
        if (_peer is not null) await _peer.DisposeAsync();
        if (_relay is not null) await _relay.DisposeAsync();
    }
}
