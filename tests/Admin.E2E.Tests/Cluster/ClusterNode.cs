using System.Globalization;
using System.Net;
using Turnstone.TestSupport.Clients;

namespace Admin.E2E.Tests.Cluster;

/// <summary>
/// One `turnstone serve` process of the cluster, run inside its own network namespace with `ip netns exec` (which
/// execs, so the PID is turnstone's own and SIGKILL reaches it): TURN on the namespace's address at the standard ports
/// (no other process shares that address, so no port can collide), the portal and the internal endpoint on that
/// address too. It can be killed (SIGKILL) and started again with the same settings.
/// </summary>
internal sealed class ClusterNode : IAsyncDisposable
{
    public const int TurnPort = 3478;
    public const int PortalPort = 8080;
    public const int InternalPort = 9650;

    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(90);

    private readonly string _namespace;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private ExternalProcess? _process;
    private string _earlierLogs = "";

    public ClusterNode(string name, string networkNamespace, IPAddress address, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _namespace = networkNamespace;
        Address = address;
        _environment = environment;
        BaseAddress = new Uri($"http://{address}:{PortalPort}/");
    }

    /// <summary>Usage:Node: the node's name everywhere in the cluster.</summary>
    public string Name { get; }

    /// <summary>The node's address (TURN, portal and internal endpoint).</summary>
    public IPAddress Address { get; }

    public IPEndPoint TurnEndPoint => new(Address, TurnPort);

    public Uri BaseAddress { get; }

    public string InternalUrl => $"http://{Address}:{InternalPort}";

    public int ProcessId => _process?.Id ?? 0;

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>Everything the node printed, across restarts.</summary>
    public string Log => _earlierLogs + (_process is null ? "" : _process.StandardOutput + _process.StandardError);

    /// <summary>Starts the process and waits until /readyz answers 200.</summary>
    public async Task StartAsync()
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is running.");
        if (_process is not null)
        {
            _earlierLogs = Log;
            _process.Dispose();
        }
        _process = ExternalProcess.Start("ip", ["netns", "exec", _namespace, Relay.TurnstoneCommandLine.ProgramPath, "serve"], _environment);
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + StartLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited during start:\n{Tail(Log)}");
            try
            {
                if ((await http.GetAsync("readyz")).IsSuccessStatusCode) return;
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet, or slow to answer while starting.
            }
            await Task.Delay(200);
        }
        throw new InvalidOperationException($"{Name} was not ready within {StartLimit.TotalSeconds} s:\n{Tail(Log)}");
    }

    /// <summary>SIGKILL, as a crashed host or an OOM kill: nothing is flushed, nothing deregisters.</summary>
    public async Task KillAsync()
    {
        if (_process is null || _process.HasExited) return;
        var result = await ExternalProcess.RunAsync("kill", ["-KILL", ProcessId.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        if (result.ExitCode != 0) throw new InvalidOperationException($"kill -KILL {ProcessId} failed: {result.Output}");
        await _process.WaitAsync(TimeSpan.FromSeconds(10));
    }

    /// <summary>Fails the test when the process died on its own.</summary>
    public void AssertAlive()
    {
        if (_process is { HasExited: true }) Assert.Fail($"{Name} exited. Its log:\n{Tail(Log)}");
    }

    public static string Tail(string log) => log.Length <= 6000 ? log : log[^6000..];

    public override string ToString() => $"{Name} ({Address})";

    public ValueTask DisposeAsync()
    {
        // By PID (ExternalProcess kills the process it started, and its children).
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
