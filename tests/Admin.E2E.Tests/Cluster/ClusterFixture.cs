using Microsoft.Playwright;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// The cluster the functional cluster tests share (<see cref="ClusterHarness"/>: three nodes in their own namespaces on
/// one PostgreSQL), an echo peer (turnutils_peer) on the bridge address every node reaches, and one headless Chromium
/// for the portals and the WebRTC calls. Each test class uses its own users, and a test that stops or drains a node
/// puts it back before it ends.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    /// <summary>Users the tests use, one group per test so no test sees another's allocations by user.</summary>
    public static readonly string[] Users =
    [
        "view-aioice", "view-chromium", "remote-kill", "bystander", "drain-live", "drain-new", "revoked", "revoke-bystander",
        "survivor", "late-user",
    ];

    private IPlaywright? _playwright;
    private ClusterHarness? _harness;

    internal ClusterHarness Cluster => _harness ?? throw new InvalidOperationException("Not started.");

    internal TurnutilsPeer Peer { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        try
        {
            _harness = await ClusterHarness.StartAsync(3, Users);
            Peer = await TurnutilsPeer.StartAsync(_harness.Network.Gateway);
            _playwright = await Playwright.CreateAsync();
            Browser = await HeadlessChromium.LaunchAsync(_playwright);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A new browser context signed in to <paramref name="node"/>'s portal as the bootstrap admin, at <paramref name="path"/>.</summary>
    internal Task<IPage> SignedInPageAsync(ClusterNode node, string path) => PortalSignIn.PageAsync(Browser, node, path);

    /// <summary>Holds an aioice allocation on <paramref name="node"/> relaying to the echo peer, refreshing every second.</summary>
    internal async Task<AioiceHoldSession> HoldAsync(ClusterNode node, string user, TimeSpan? hold = null)
    {
        var session = await AioiceHoldSession.StartAsync(Cluster.Target(node, user), Peer.EndPoint.Address.ToString(), Peer.Port, hold ?? TimeSpan.FromSeconds(120));
        // (Not Assert.True with the output in its message: that message would be built, waiting for the hold to end, every time.)
        if (!session.IsRunning) Assert.Fail($"aioice did not get its allocation up on {node}:\n{(await session.WaitAsync()).Output}");
        return session;
    }

    /// <summary>turn:ADDRESS:3478?transport=udp of <paramref name="node"/>.</summary>
    internal static string TurnUrl(ClusterNode node) => $"turn:{node.Address}:{ClusterNode.TurnPort}?transport=udp";

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Peer is not null) await Peer.DisposeAsync();
        if (_harness is not null) await _harness.DisposeAsync();
    }
}
