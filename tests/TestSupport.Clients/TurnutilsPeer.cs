using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Turnstone.TestSupport.Clients;

/// <summary>
/// coturn's turnutils_peer: a UDP echo server, the usual peer for turnutils_uclient. Started on
/// 127.0.0.1 and a free port; ready once it has echoed a probe; killed by PID on dispose.
/// </summary>
public sealed class TurnutilsPeer : IAsyncDisposable
{
    public const string Executable = "turnutils_peer";

    private readonly ExternalProcess _process;

    private TurnutilsPeer(ExternalProcess process, IPEndPoint endpoint)
    {
        _process = process;
        EndPoint = endpoint;
    }

    public IPEndPoint EndPoint { get; }

    public int Port => EndPoint.Port;

    public static async Task<TurnutilsPeer> StartAsync(IPAddress? address = null, CancellationToken cancellationToken = default)
    {
        address ??= IPAddress.Loopback;
        for (var attempt = 1; ; attempt++)
        {
            var endpoint = new IPEndPoint(address, FreePort.Udp(address));
            var process = ExternalProcess.Start(Executable, ["-L", address.ToString(), "-p", endpoint.Port.ToString(CultureInfo.InvariantCulture)]);
            if (await EchoesAsync(endpoint, process, cancellationToken).ConfigureAwait(false))
            {
                return new TurnutilsPeer(process, endpoint);
            }

            var output = process.StandardOutput + process.StandardError;
            process.Dispose();
            if (attempt == 3)
            {
                throw new InvalidOperationException($"turnutils_peer did not echo on {endpoint} within 5 s (3 attempts). Output: {output}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        await _process.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
    }

    private static async Task<bool> EchoesAsync(IPEndPoint endpoint, ExternalProcess process, CancellationToken cancellationToken)
    {
        using var probe = new Socket(endpoint.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        probe.Bind(new IPEndPoint(endpoint.Address, 0));
        var payload = "turnstone-probe"u8.ToArray();
        var buffer = new byte[64];
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            await probe.SendToAsync(payload, endpoint, cancellationToken).ConfigureAwait(false);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            wait.CancelAfter(TimeSpan.FromMilliseconds(200));
            try
            {
                var received = await probe.ReceiveFromAsync(buffer, new IPEndPoint(endpoint.Address, 0), wait.Token).ConfigureAwait(false);
                if (buffer.AsSpan(0, received.ReceivedBytes).SequenceEqual(payload))
                {
                    return true;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Not listening yet: probe again.
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionReset)
            {
                // ICMP port unreachable from the previous probe: not bound yet.
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }
}
