using System.Globalization;
using System.Net;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// Hosts for a cluster, built from network namespaces (needs root, as this environment runs the tests): a bridge in
/// this namespace holding the "LAN" address (198.18.N.1/24 and fd00:7e57:N::1/64), and one namespace per node with a
/// veth into the bridge (198.18.N.11, .12, ...). The test process, its clients and browsers stay here and reach every
/// node on the bridge; the nodes reach this namespace's bridge address (the PostgreSQL forwarder, echo peers) and each
/// other. N starts at 40 and moves on while another run holds it; names carry this process's id. Everything is
/// deleted on dispose, and a failed build deletes what it made before throwing.
/// </summary>
internal sealed class ClusterNetwork : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    private readonly List<string> _namespaces = [];
    private readonly List<string> _links = [];
    private readonly int _subnet;

    private ClusterNetwork(int subnet, int nodes)
    {
        _subnet = subnet;
        var id = Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
        Bridge = $"tscb{id}";
        Gateway = IPAddress.Parse($"198.18.{subnet}.1");
        GatewayIPv6 = IPAddress.Parse($"fd00:7e57:{subnet:x}::1");
        Namespaces = [.. Enumerable.Range(0, nodes).Select(i => $"tscn{id}n{i}")];
        Addresses = [.. Enumerable.Range(0, nodes).Select(i => IPAddress.Parse($"198.18.{subnet}.{11 + i}"))];
        IPv6Addresses = [.. Enumerable.Range(0, nodes).Select(i => IPAddress.Parse($"fd00:7e57:{subnet:x}::{11 + i:x}"))];
    }

    /// <summary>The bridge's name in this namespace.</summary>
    public string Bridge { get; }

    /// <summary>This namespace's address on the bridge: what the nodes reach the test process at.</summary>
    public IPAddress Gateway { get; }

    public IPAddress GatewayIPv6 { get; }

    /// <summary>One namespace per node, in node order.</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>Each node's IPv4 address (its only one besides loopback), in node order.</summary>
    public IReadOnlyList<IPAddress> Addresses { get; }

    public IReadOnlyList<IPAddress> IPv6Addresses { get; }

    public static async Task<ClusterNetwork> CreateAsync(int nodes)
    {
        await RemoveStaleAsync();
        var network = new ClusterNetwork(await FreeSubnetAsync(), nodes);
        try
        {
            await network.BuildAsync();
            return network;
        }
        catch
        {
            await network.DisposeAsync();
            throw;
        }
    }

    /// <summary>The arguments that run <paramref name="command"/> inside node <paramref name="node"/>'s namespace.</summary>
    public IReadOnlyList<string> In(int node, params string[] command) => ["netns", "exec", Namespaces[node], .. command];

    private async Task BuildAsync()
    {
        await RunAsync("ip", "link", "add", Bridge, "type", "bridge");
        _links.Add(Bridge);
        await RunAsync("ip", "addr", "add", $"{Gateway}/24", "dev", Bridge);
        await RunAsync("ip", "addr", "add", $"{GatewayIPv6}/64", "dev", Bridge, "nodad");
        await RunAsync("ip", "link", "set", Bridge, "up");
        for (var i = 0; i < Namespaces.Count; i++)
        {
            var name = Namespaces[i];
            var link = $"{name}h";
            await RunAsync("ip", "netns", "add", name);
            _namespaces.Add(name);
            await RunAsync("ip", [.. In(i, "ip", "link", "set", "lo", "up")]);
            await RunAsync("ip", "link", "add", link, "type", "veth", "peer", "name", "eth0", "netns", name);
            _links.Add(link);
            await RunAsync("ip", "link", "set", link, "master", Bridge);
            await RunAsync("ip", "link", "set", link, "up");
            await RunAsync("ip", [.. In(i, "ip", "addr", "add", $"{Addresses[i]}/24", "dev", "eth0")]);
            await RunAsync("ip", [.. In(i, "ip", "addr", "add", $"{IPv6Addresses[i]}/64", "dev", "eth0", "nodad")]);
            await RunAsync("ip", [.. In(i, "ip", "link", "set", "eth0", "up")]);
        }
    }

    /// <summary>
    /// Removes what a run of these tests that was killed (so could not clean up) left: namespaces and bridges named
    /// for a process id that no longer exists, and the processes still running in those namespaces (that run's nodes).
    /// </summary>
    private static async Task RemoveStaleAsync()
    {
        static bool Dead(string name, string prefix, out string id)
        {
            id = new string([.. name[prefix.Length..].TakeWhile(char.IsAsciiDigit)]);
            return id.Length > 0 && !Directory.Exists($"/proc/{id}");
        }

        var namespaces = (await ExternalProcess.RunAsync("ip", ["netns", "list"], CommandTimeout)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ')[0]);
        foreach (var name in namespaces.Where(n => n.StartsWith("tscn", StringComparison.Ordinal) && Dead(n, "tscn", out _)))
        {
            var pids = (await ExternalProcess.RunAsync("ip", ["netns", "pids", name], CommandTimeout)).StandardOutput
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            foreach (var pid in pids) await ExternalProcess.RunAsync("kill", ["-KILL", pid.Trim()], CommandTimeout);
            await ExternalProcess.RunAsync("ip", ["netns", "del", name], CommandTimeout);
        }
        var links = (await ExternalProcess.RunAsync("ip", ["-br", "link"], CommandTimeout)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split(' ', '@')[0]);
        foreach (var link in links.Where(l => l.StartsWith("tscb", StringComparison.Ordinal) && Dead(l, "tscb", out _)))
            await ExternalProcess.RunAsync("ip", ["link", "del", link], CommandTimeout);
    }

    // A 198.18.N.0/24 no interface here uses yet (another run, or another suite's lab, may hold one).
    private static async Task<int> FreeSubnetAsync()
    {
        var addresses = (await RunAsync("ip", "-br", "addr")).StandardOutput;
        for (var subnet = 40; subnet < 250; subnet++)
        {
            if (!addresses.Contains($"198.18.{subnet}.", StringComparison.Ordinal)) return subnet;
        }
        throw new InvalidOperationException("No free 198.18.N.0/24 for the cluster network.");
    }

    private static async Task<ProcessResult> RunAsync(string fileName, params string[] arguments)
    {
        var result = await ExternalProcess.RunAsync(fileName, arguments, CommandTimeout);
        if (result.ExitCode != 0 || result.TimedOut)
        {
            throw new InvalidOperationException(
                $"`{fileName} {string.Join(' ', arguments)}` failed (exit {result.ExitCode}; the cluster tests need root and `ip netns`): {result.Output}");
        }
        return result;
    }

    public override string ToString() => $"198.18.{_subnet}.0/24 on {Bridge}";

    public async ValueTask DisposeAsync()
    {
        // Deleting a namespace deletes its end of the veth, which deletes the pair; then the bridge.
        foreach (var name in _namespaces) await ExternalProcess.RunAsync("ip", ["netns", "del", name], CommandTimeout);
        foreach (var link in _links) await ExternalProcess.RunAsync("ip", ["link", "del", link], CommandTimeout);
    }
}
