using System.Globalization;
using System.Net;
using Turnstone.TestSupport.Clients;

namespace Turn.Relay.Tests.Support;

/// <summary>
/// A multi-homed host built from network namespaces (needs root): this process's namespace gets
/// two IPv4 and two IPv6 addresses on a veth link to a client namespace, and a second veth link
/// to a peer namespace that routes everything back through it. Addresses come from 198.18.0.0/15
/// and a ULA /64 of this run; names carry the process id. Everything is deleted on dispose, and a
/// failed setup deletes what it made before throwing.
/// </summary>
internal sealed class MultiHomedLab : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];

    private MultiHomedLab(int subnet)
    {
        var id = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        ClientNamespace = $"tsc{id}";
        PeerNamespace = $"tsp{id}";
        var ula = $"fd7e:{Environment.ProcessId & 0xFFFF:x}:{subnet:x}";
        ServerAddresses = [IPAddress.Parse($"198.18.{subnet}.1"), IPAddress.Parse($"198.18.{subnet}.3")];
        ServerIPv6Addresses = [IPAddress.Parse($"{ula}:1::1"), IPAddress.Parse($"{ula}:1::3")];
        ClientAddress = IPAddress.Parse($"198.18.{subnet}.2");
        ClientIPv6Address = IPAddress.Parse($"{ula}:1::2");
        PeerGateway = IPAddress.Parse($"198.19.{subnet}.1");
        PeerAddress = IPAddress.Parse($"198.19.{subnet}.2");
        PeerIPv6Gateway = IPAddress.Parse($"{ula}:2::1");
        PeerIPv6Address = IPAddress.Parse($"{ula}:2::2");
    }

    public string ClientNamespace { get; }

    public string PeerNamespace { get; }

    /// <summary>This host's two IPv4 addresses on the client link.</summary>
    public IReadOnlyList<IPAddress> ServerAddresses { get; }

    /// <summary>This host's two IPv6 addresses on the client link.</summary>
    public IReadOnlyList<IPAddress> ServerIPv6Addresses { get; }

    public IPAddress ClientAddress { get; }

    public IPAddress ClientIPv6Address { get; }

    /// <summary>This host's address on the peer link (the peer namespace's gateway).</summary>
    public IPAddress PeerGateway { get; }

    public IPAddress PeerAddress { get; }

    public IPAddress PeerIPv6Gateway { get; }

    public IPAddress PeerIPv6Address { get; }

    /// <summary>Builds the namespaces and links; throws (after cleaning up) when `ip netns` is unavailable.</summary>
    public static async Task<MultiHomedLab> CreateAsync()
    {
        var lab = new MultiHomedLab(await FreeSubnetAsync());
        try
        {
            await lab.BuildAsync();
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <paramref name="fileName"/> inside <paramref name="networkNamespace"/>.</summary>
    public static ExternalProcess StartIn(string networkNamespace, string fileName, IEnumerable<string> arguments) =>
        ExternalProcess.Start("ip", ["netns", "exec", networkNamespace, fileName, .. arguments]);

    private async Task BuildAsync()
    {
        var clientLink = ClientNamespace;
        var peerLink = PeerNamespace;
        foreach (var name in new[] { ClientNamespace, PeerNamespace })
        {
            await RunAsync("ip", "netns", "add", name);
            _namespaces.Add(name);
            await InAsync(name, "ip", "link", "set", "lo", "up");
        }

        foreach (var (link, ns) in new[] { (clientLink, ClientNamespace), (peerLink, PeerNamespace) })
        {
            await RunAsync("ip", "link", "add", link, "type", "veth", "peer", "name", link + "n");
            _links.Add(link);
            await RunAsync("ip", "link", "set", link + "n", "netns", ns);
        }

        // The client link: two addresses of each family here, one in the client namespace (on-link, no routes needed).
        foreach (var address in ServerAddresses) await RunAsync("ip", "addr", "add", $"{address}/24", "dev", clientLink);
        foreach (var address in ServerIPv6Addresses) await RunAsync("ip", "addr", "add", $"{address}/64", "dev", clientLink, "nodad");
        await RunAsync("ip", "link", "set", clientLink, "up");
        await InAsync(ClientNamespace, "ip", "addr", "add", $"{ClientAddress}/24", "dev", clientLink + "n");
        await InAsync(ClientNamespace, "ip", "addr", "add", $"{ClientIPv6Address}/64", "dev", clientLink + "n", "nodad");
        await InAsync(ClientNamespace, "ip", "link", "set", clientLink + "n", "up");

        // The peer link: the peer routes everything through this host, so it can answer any relayed address.
        await RunAsync("ip", "addr", "add", $"{PeerGateway}/24", "dev", peerLink);
        await RunAsync("ip", "addr", "add", $"{PeerIPv6Gateway}/64", "dev", peerLink, "nodad");
        await RunAsync("ip", "link", "set", peerLink, "up");
        await InAsync(PeerNamespace, "ip", "addr", "add", $"{PeerAddress}/24", "dev", peerLink + "n");
        await InAsync(PeerNamespace, "ip", "addr", "add", $"{PeerIPv6Address}/64", "dev", peerLink + "n", "nodad");
        await InAsync(PeerNamespace, "ip", "link", "set", peerLink + "n", "up");
        await InAsync(PeerNamespace, "ip", "route", "add", "default", "via", PeerGateway.ToString());
        await InAsync(PeerNamespace, "ip", "-6", "route", "add", "default", "via", PeerIPv6Gateway.ToString());
    }

    // A 198.18.N.0/24 (and 198.19.N.0/24) no interface here uses yet: parallel runs of other tests may build labs too.
    private static async Task<int> FreeSubnetAsync()
    {
        var addresses = (await RunAsync("ip", "-br", "addr")).StandardOutput;
        var start = Environment.ProcessId % 200 + 20;
        for (var i = 0; i < 200; i++)
        {
            var subnet = (start + i) % 250 + 1;
            if (!addresses.Contains($"198.18.{subnet}.", StringComparison.Ordinal) && !addresses.Contains($"198.19.{subnet}.", StringComparison.Ordinal)) return subnet;
        }
        throw new InvalidOperationException("No free 198.18.N.0/24 for the namespace lab.");
    }

    private static Task<ProcessResult> InAsync(string networkNamespace, params string[] command) =>
        RunAsync("ip", ["netns", "exec", networkNamespace, .. command]);

    private static Task<ProcessResult> RunAsync(string fileName, params string[] arguments) => RunCheckedAsync(fileName, arguments);

    private static async Task<ProcessResult> RunCheckedAsync(string fileName, string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(fileName, arguments, CommandTimeout);
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException(
                $"`{fileName} {string.Join(' ', arguments)}` failed (exit {result.ExitCode}; this test needs root and `ip netns`): {result.Output}");
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        // Deleting one end of a veth pair deletes both; deleting a namespace deletes what is left in it.
        foreach (var link in _links) await ExternalProcess.RunAsync("ip", ["link", "del", link], CommandTimeout);
        foreach (var name in _namespaces) await ExternalProcess.RunAsync("ip", ["netns", "del", name], CommandTimeout);
    }
}
