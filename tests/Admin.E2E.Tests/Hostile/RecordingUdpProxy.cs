using System.Net;
using System.Net.Sockets;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// A UDP proxy between a real client and the server that records every datagram the client sends: valid requests
/// (and ChannelData) of a real session, to mutate. Its upstream socket is the session's 5-tuple at the server, so
/// mutants sent from it reach the live allocation's handlers; every answer coming back on it is classified
/// (0 = success, else the error code) before being passed to the client.
/// </summary>
internal sealed class RecordingUdpProxy : IAsyncDisposable
{
    private readonly Socket _clientSide = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly List<byte[]> _captured = [];
    private readonly Dictionary<int, long> _answerCodes = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _upward;
    private readonly Task _downward;
    private EndPoint? _client;

    public RecordingUdpProxy(IPEndPoint server, IPAddress upstreamAddress)
    {
        _clientSide.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        Upstream = FloodSources.CreateAt(server, upstreamAddress);
        _upward = Task.Run(UpwardAsync);
        _downward = Task.Run(DownwardAsync);
    }

    /// <summary>Where the client sends (127.0.0.1).</summary>
    public int Port => ((IPEndPoint)_clientSide.LocalEndPoint!).Port;

    /// <summary>The socket the server sees the session on.</summary>
    public Socket Upstream { get; }

    public IReadOnlyList<byte[]> Captured
    {
        get
        {
            lock (_captured) return _captured.ToArray();
        }
    }

    /// <summary>Answers that came back on the upstream socket, by code (-1: not STUN, e.g. ChannelData).</summary>
    public IReadOnlyDictionary<int, long> AnswerCodes
    {
        get
        {
            lock (_answerCodes) return new Dictionary<int, long>(_answerCodes);
        }
    }

    private async Task UpwardAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _clientSide.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue; // ICMP from the client's side: keep going
            }
            _client = received.RemoteEndPoint;
            var datagram = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            lock (_captured) _captured.Add(datagram);
            Upstream.Send(datagram, SocketFlags.None, out _);
        }
    }

    private async Task DownwardAsync()
    {
        var buffer = new byte[65536];
        while (!_stop.IsCancellationRequested)
        {
            int length;
            try
            {
                length = await Upstream.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            var code = StunFlood.AnswerCode(buffer.AsSpan(0, length));
            lock (_answerCodes) _answerCodes[code] = _answerCodes.GetValueOrDefault(code) + 1;
            if (_client is { } client) await _clientSide.SendToAsync(buffer.AsMemory(0, length), SocketFlags.None, client);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_upward, _downward);
        _clientSide.Dispose();
        Upstream.Dispose();
        _stop.Dispose();
    }
}
