using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Turn.Relay.Seams;

namespace Admin.E2E.Tests.Hosting;

/// <summary>The TURN listener ports a running app bound (port 0 in its settings = chosen by the OS).</summary>
internal sealed record RelayListenerPorts(int Port, int IPv6Port, int TlsPort)
{
    /// <summary>The one place the E2E fixtures read bound listener ports: through the engine's status seam, as the app does.</summary>
    public static RelayListenerPorts Read(IServiceProvider services)
    {
        var listeners = services.GetRequiredService<IRelayStatus>();
        return new RelayListenerPorts(
            PortOn(listeners.UdpEndPoints, IPAddress.Loopback),
            PortOn(listeners.UdpEndPoints, IPAddress.IPv6Loopback),
            PortOn(listeners.TlsEndPoints, IPAddress.Loopback));
    }

    private static int PortOn(IEnumerable<IPEndPoint> endPoints, IPAddress address) =>
        endPoints.FirstOrDefault(e => e.Address.Equals(address))?.Port ?? 0;
}
