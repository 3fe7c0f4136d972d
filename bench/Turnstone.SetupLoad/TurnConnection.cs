using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Turnstone.SetupLoad;

/// <summary>
/// One client's socket to the server: a datagram per message over UDP, or STUN messages back to back over TCP (RFC 8656
/// section 3.5: a message's length is in its header). Receives return whole messages.
/// </summary>
internal sealed class TurnConnection : IAsyncDisposable
{
    private const int HeaderLength = 20;

    private readonly Socket _socket;
    private readonly bool _tcp;
    private readonly byte[] _stream = new byte[4096];
    private int _buffered;

    private TurnConnection(Socket socket, bool tcp)
    {
        _socket = socket;
        _tcp = tcp;
    }

    public bool IsStream => _tcp;

    public static async Task<TurnConnection> OpenAsync(IPEndPoint server, bool tcp, CancellationToken cancellationToken)
    {
        var socket = tcp
            ? new Socket(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true }
            : new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            await socket.ConnectAsync(server, cancellationToken).ConfigureAwait(false);
            return new TurnConnection(socket, tcp);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> message, CancellationToken cancellationToken) =>
        _socket.SendAsync(message, SocketFlags.None, cancellationToken);

    /// <summary>The next whole message into <paramref name="destination"/>; its length (0: the server closed the stream).</summary>
    public async ValueTask<int> ReceiveAsync(Memory<byte> destination, CancellationToken cancellationToken)
    {
        if (!_tcp) return await _socket.ReceiveAsync(destination, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var length = WholeMessageLength();
            if (length > 0)
            {
                if (length > destination.Length) throw new InvalidDataException($"A {length}-byte message does not fit.");
                _stream.AsSpan(0, length).CopyTo(destination.Span);
                _stream.AsSpan(length, _buffered - length).CopyTo(_stream);
                _buffered -= length;
                return length;
            }
            if (_buffered == _stream.Length) throw new InvalidDataException("The stream holds more than one message can.");
            var read = await _socket.ReceiveAsync(_stream.AsMemory(_buffered), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0) return 0;
            _buffered += read;
        }
    }

    // A STUN message is its 20-byte header and the length in it; ChannelData (first two bits 01) is 4 bytes and its
    // length, padded to 4 over a stream.
    private int WholeMessageLength()
    {
        if (_buffered < 4) return 0;
        var declared = BinaryPrimitives.ReadUInt16BigEndian(_stream.AsSpan(2));
        var total = (_stream[0] & 0xC0) == 0x40 ? 4 + ((declared + 3) & ~3) : HeaderLength + declared;
        return _buffered >= total && (total >= HeaderLength || (_stream[0] & 0xC0) == 0x40) ? total : 0;
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
