using System.Globalization;
using System.Text.Json;

namespace Turnstone.TestSupport.Clients;

/// <summary>
/// aioice holding one allocation open (aioice_turn_client.py --mode hold): it relays ChannelData to an echo peer and
/// refreshes every second while the test looks at the server, until a Refresh fails (the server ended the
/// allocation), <see cref="Stop"/> is called, or the hold time runs out. The process is bounded in time and killed
/// by PID on dispose.
/// </summary>
public sealed class AioiceHoldSession : IDisposable
{
    private readonly ExternalProcess _process;
    private readonly string _stopFile;
    private readonly TimeSpan _limit;

    private AioiceHoldSession(ExternalProcess process, string stopFile, TimeSpan limit)
    {
        _process = process;
        _stopFile = stopFile;
        _limit = limit;
    }

    /// <summary>Starts the client and waits until its allocation and permission are up (or it failed).</summary>
    public static async Task<AioiceHoldSession> StartAsync(TurnServerTarget server, string peerHost, int peerPort, TimeSpan hold, int payloadSize = 200,
        TimeSpan? interval = null, TimeSpan? refreshInterval = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(server);
        if (server.Transport == ClientTransport.Tls) throw new ArgumentException("Hold mode drives UDP or TCP.", nameof(server));
        var stopFile = Path.Combine(Path.GetTempPath(), $"aioice-stop-{Guid.NewGuid():N}");
        var limit = hold + TimeSpan.FromSeconds(20);
        var process = ExternalProcess.Start(AioiceTurnClient.Python,
        [
            AioiceTurnClient.ScriptPath, "--mode", "hold",
            "--host", server.Host, "--port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--transport", server.Transport == ClientTransport.Tcp ? "tcp" : "udp",
            "--user", server.User, "--password", server.Password,
            "--peer-host", peerHost, "--peer-port", peerPort.ToString(CultureInfo.InvariantCulture),
            "--hold", hold.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--payload-size", payloadSize.ToString(CultureInfo.InvariantCulture),
            "--interval", (interval ?? TimeSpan.FromMilliseconds(200)).TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--refresh-interval", (refreshInterval ?? TimeSpan.FromSeconds(1)).TotalSeconds.ToString(CultureInfo.InvariantCulture),
            "--stop-file", stopFile,
            "--timeout", (hold + TimeSpan.FromSeconds(15)).TotalSeconds.ToString(CultureInfo.InvariantCulture),
        ]);
        var session = new AioiceHoldSession(process, stopFile, limit);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        while (!process.StandardError.Contains("holding", StringComparison.Ordinal) && !process.HasExited)
        {
            await Task.Delay(50, wait.Token).ConfigureAwait(false);
        }

        return session;
    }

    /// <summary>True while the client holds its allocation.</summary>
    public bool IsRunning => !_process.HasExited;

    /// <summary>Asks the client to stop: it deletes its allocation and prints its totals.</summary>
    public void Stop() => File.WriteAllText(_stopFile, "stop");

    /// <summary>Waits for the client to finish and returns what it printed.</summary>
    public async Task<AioiceHoldResult> WaitAsync(CancellationToken cancellationToken = default)
    {
        var process = await _process.WaitAsync(_limit, cancellationToken).ConfigureAwait(false);
        var json = process.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(line => line.StartsWith('{'))
            ?? throw new InvalidOperationException($"aioice_turn_client.py printed no JSON (exit {process.ExitCode}, timed out: {process.TimedOut}): {process.Output}");
        var result = JsonSerializer.Deserialize<AioiceHoldResult>(json) ?? throw new InvalidOperationException($"aioice_turn_client.py printed null: {process.Output}");
        return result with { Output = process.Output };
    }

    public void Dispose()
    {
        _process.Dispose();
        File.Delete(_stopFile);
    }
}
