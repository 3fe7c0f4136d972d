using System.Globalization;
using System.Text.Json;

namespace Turnstone.TestSupport.Clients;

/// <summary>
/// aioice's TURN client (python3-aioice, run by Debian's /usr/bin/python3) through
/// aioice_turn_client.py, which is copied next to the test assembly and prints one JSON object.
/// </summary>
public static class AioiceTurnClient
{
    public const string Python = "/usr/bin/python3";
    public const string ScriptName = "aioice_turn_client.py";

    /// <summary>Where the script sits in the test output (linked from tests/TestSupport.Clients).</summary>
    public static string ScriptPath => Path.Combine(AppContext.BaseDirectory, "TestSupport.Clients", ScriptName);

    /// <summary>
    /// Allocate, CreatePermission, Send indication echo, ChannelData echoes, Refresh, delete, and a
    /// Refresh after the delete (expected 437). UDP, TCP, or TLS (verified against <paramref name="caFile"/>).
    /// </summary>
    /// <param name="caFile">For TLS: the PEM CA (or self-signed certificate) the server must verify against (host name included).</param>
    /// <param name="family">"ipv4" or "ipv6" to send REQUESTED-ADDRESS-FAMILY; null = none (the server relays on IPv4).</param>
    /// <param name="networkNamespace">Run the client inside this network namespace (`ip netns exec`, needs root); null = here.</param>
    public static async Task<AioiceRelayResult> RelayAsync(TurnServerTarget server, string peerHost, int peerPort, int channelMessages = 5, TimeSpan? timeout = null, string? caFile = null, string? family = null, CancellationToken cancellationToken = default, string? networkNamespace = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        var arguments = new List<string>(CommonArguments(server, "relay", timeout, caFile))
        {
            "--peer-host", peerHost,
            "--peer-port", peerPort.ToString(CultureInfo.InvariantCulture),
            "--count", channelMessages.ToString(CultureInfo.InvariantCulture),
        };
        if (family is not null)
        {
            arguments.AddRange(["--family", family]);
        }

        return await RunAsync<AioiceRelayResult>(arguments, timeout, cancellationToken, (result, output) => result with { Output = output }, networkNamespace).ConfigureAwait(false);
    }

    /// <summary>
    /// Allocate (asking for <paramref name="family"/> "ipv4"/"ipv6" when given), then CreatePermission
    /// and ChannelBind to each peer, reporting each answer.
    /// </summary>
    /// <param name="caFile">For TLS: the PEM CA the server must verify against. With no peers this is a plain Allocate check.</param>
    public static async Task<AioiceForbiddenResult> TryPeersAsync(TurnServerTarget server, IEnumerable<string> peers, int peerPort = 3480, string? family = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default, string? caFile = null)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(peers);
        var arguments = new List<string>(CommonArguments(server, "forbidden", timeout, caFile)) { "--peer-port", peerPort.ToString(CultureInfo.InvariantCulture) };
        if (family is not null)
        {
            arguments.AddRange(["--family", family]);
        }

        foreach (var peer in peers)
        {
            arguments.AddRange(["--peer", peer]);
        }

        return await RunAsync<AioiceForbiddenResult>(arguments, timeout, cancellationToken, (result, output) => result with { Output = output }).ConfigureAwait(false);
    }

    private static List<string> CommonArguments(TurnServerTarget server, string mode, TimeSpan? timeout, string? caFile)
    {
        var transport = server.Transport switch
        {
            ClientTransport.Udp => "udp",
            ClientTransport.Tcp => "tcp",
            _ => "tls",
        };
        if (server.Transport == ClientTransport.Tls && caFile is null)
        {
            throw new ArgumentException("TLS needs the CA file to verify the server with.", nameof(caFile));
        }

        List<string> arguments =
        [
            ScriptPath,
            "--mode", mode,
            "--host", server.Host,
            "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--transport", transport,
            "--user", server.User,
            "--password", server.Password,
            "--timeout", (timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ];
        if (caFile is not null)
        {
            arguments.AddRange(["--ca-file", caFile]);
        }

        return arguments;
    }

    private static async Task<T> RunAsync<T>(List<string> arguments, TimeSpan? timeout, CancellationToken cancellationToken, Func<T, string, T> withOutput, string? networkNamespace = null)
    {
        if (!File.Exists(ScriptPath))
        {
            throw new InvalidOperationException($"{ScriptPath} is missing: link tests/TestSupport.Clients/*.py into the test project with CopyToOutputDirectory.");
        }

        // The script bounds itself with --timeout; the process limit is a backstop.
        var limit = (timeout ?? TimeSpan.FromSeconds(30)) + TimeSpan.FromSeconds(10);
        var process = networkNamespace is null
            ? await ExternalProcess.RunAsync(Python, arguments, limit, cancellationToken).ConfigureAwait(false)
            : await ExternalProcess.RunAsync("ip", ["netns", "exec", networkNamespace, Python, .. arguments], limit, cancellationToken).ConfigureAwait(false);
        var json = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(line => line.StartsWith('{'));
        if (json is null)
        {
            throw new InvalidOperationException($"aioice_turn_client.py printed no JSON (exit {process.ExitCode}, timed out: {process.TimedOut}): {process.Output}");
        }

        var result = JsonSerializer.Deserialize<T>(json) ?? throw new InvalidOperationException($"aioice_turn_client.py printed null: {process.Output}");
        return withOutput(result, process.Output);
    }
}
