using Admin.Data.Administration;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Hosting;
using Turn.Relay.Seams;

namespace Admin.E2E.Tests.Portal;

/// <summary>
/// The portal with a relay that real TURN clients use: the relay's realm is the one the tests create in the
/// portal, loopback peers are allowed (the echo peer runs on 127.0.0.1), relay ports 45500-45799.
/// </summary>
public sealed class ManagementFixture : PortalFixture
{
    /// <summary>The realm the relay offers in its 401 answers; tests create it through the portal.</summary>
    public const string RelayRealm = "relay.portal.test";

    protected override void Configure(IDictionary<string, string?> settings)
    {
        settings["Relay:DefaultRealm"] = RelayRealm;
        settings["Relay:AllowLoopbackPeers"] = "true";
        settings["Relay:MinPort"] = "45500";
        settings["Relay:MaxPort"] = "45799";
    }

    public int RelayUdpPort => Services.GetRequiredService<RelayHostedService>().UdpEndPoints[0].Port;

    public IRelayState RelayState => Services.GetRequiredService<IRelayState>();

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static AdminActor Setup { get; } = AdminActor.Superuser("e2e-setup", "127.0.0.1");
}
