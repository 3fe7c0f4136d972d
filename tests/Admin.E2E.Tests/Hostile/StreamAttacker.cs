using System.Net;
using System.Net.Sockets;
using Turn.Protocol;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// One attacker's TCP connection to a TURN stream port that never authenticates: it sends a STUN Binding every
/// <see cref="KeepaliveInterval"/> (keepalive-only), or a partial TLS ClientHello and then nothing, or nothing at
/// all. It notes when the server closes it.
/// </summary>
internal sealed class StreamAttacker : IAsyncDisposable
{
    public static readonly TimeSpan KeepaliveInterval = TimeSpan.FromSeconds(1);

    // A TLS record header announcing a 512-byte handshake, and the start of a ClientHello: the rest never comes.
    private static readonly byte[] PartialClientHello = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xFC, 0x03, 0x03];

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;
    private readonly Task _keepalive;

    private StreamAttacker(Socket socket, StreamAttack attack)
    {
        _socket = socket;
        _reader = Task.Run(ReadUntilClosedAsync);
        _keepalive = attack == StreamAttack.Keepalive ? Task.Run(KeepaliveAsync) : Task.CompletedTask;
    }

    /// <summary>When the server closed the connection (end of stream or reset); null while open.</summary>
    public DateTime? ClosedAt { get; private set; }

    public bool IsClosed => ClosedAt is not null;

    /// <summary>Connects from <paramref name="source"/>; a connection refused or reset at once counts as closed, not as an error.</summary>
    public static async Task<StreamAttacker> ConnectAsync(IPEndPoint server, IPAddress source, StreamAttack attack)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(source, 0));
        try
        {
            await socket.ConnectAsync(server);
            if (attack == StreamAttack.PartialClientHello) await socket.SendAsync(PartialClientHello, SocketFlags.None);
        }
        catch (SocketException)
        {
            // Refused or reset during connect: the reader sees a closed socket and notes it.
        }
        return new StreamAttacker(socket, attack);
    }

    private async Task ReadUntilClosedAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token) > 0)
            {
                // Binding answers: read and dropped.
            }
            ClosedAt = DateTime.UtcNow;
        }
        catch (SocketException)
        {
            ClosedAt = DateTime.UtcNow;
        }
        catch (InvalidOperationException)
        {
            ClosedAt = DateTime.UtcNow; // never connected
        }
        catch (OperationCanceledException)
        {
            // The test ends.
        }
    }

    private async Task KeepaliveAsync()
    {
        var request = new byte[20];
        while (!_stop.IsCancellationRequested && !IsClosed)
        {
            var writer = new StunMessageWriter(request);
            writer.WriteHeader(StunMethod.Binding, StunClass.Request, TransactionId.NewRandom());
            try
            {
                await _socket.SendAsync(request.AsMemory(0, writer.Length), SocketFlags.None, _stop.Token);
                await Task.Delay(KeepaliveInterval, _stop.Token);
            }
            catch (SocketException)
            {
                return; // closed: the reader notes it
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await Task.WhenAll(_reader, _keepalive);
        _stop.Dispose();
    }
}
