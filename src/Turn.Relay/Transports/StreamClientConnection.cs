using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports;

/// <summary>
/// One TCP or TLS client, whatever reads its socket: a <see cref="StreamFrameReader"/> cuts its
/// bytes into frames, a <see cref="StreamSendQueue"/> bounds what waits to go out, and
/// <see cref="StreamWriteLoop"/> writes it. The I/O model (the portable async reads in
/// <c>Sockets/</c>, the Linux event loop in <c>Linux/</c>) supplies the read side and may send
/// ahead of the queue.
/// </summary>
internal abstract class StreamClientConnection : ClientConnection, IDisposable
{
    private readonly Socket _socket;
    private readonly Stream _stream;
    private readonly IClientMessageHandler _handler;
    private readonly CancellationTokenSource _closed = new();
    private readonly bool _coalesce;
    // 0 open, 1 closing, 2 closed: Dispose waits for a Close running on another thread.
    private int _state;
    private int _disposed;

    protected StreamClientConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote, TransportAddress local,
        IClientMessageHandler handler, TimeProvider time, ILogger logger)
        : base(transport, remote, local, NewLocalId())
    {
        _socket = socket;
        _stream = stream;
        _handler = handler;
        Frames = new StreamFrameReader(this, handler, time, logger);
        // Over TLS each message gets its own record: coturn's turnutils_uclient (and possibly other
        // clients) reads one message per TLS record and loses the rest. Plain TCP coalesces writes.
        _coalesce = transport == RelayTransport.Tcp;
    }

    /// <summary>Timestamp of the last complete frame (or of the connect); read by the idle sweep.</summary>
    public long LastProgress => Frames.LastProgress;

    /// <summary>True while bytes of an incomplete frame wait in the buffer.</summary>
    public bool HasPartialFrame => Frames.HasPartialFrame;

    public bool IsClosed => Volatile.Read(ref _state) != 0;

    /// <summary>Sets the TLS SNI host name (normalised) before the connection runs.</summary>
    public void SetServerName(string? serverName) => ServerName = serverName;

    protected Socket Socket => _socket;

    protected Stream Stream => _stream;

    protected StreamFrameReader Frames { get; }

    protected StreamSendQueue Queue { get; } = new();

    /// <summary>Cancelled by <see cref="Close"/>.</summary>
    protected CancellationToken Closing => _closed.Token;

    public sealed override bool Send(ReadOnlySpan<byte> message)
    {
        if (IsClosed) return false;
        // ChannelData over a stream is padded to a multiple of 4 (RFC 8656 section 12.5).
        var length = message.Length;
        if (length > 0 && (message[0] & 0xC0) == 0x40) length = (length + 3) & ~3;
        return SendFrame(message, length);
    }

    /// <summary>Sends one whole frame of <paramref name="paddedLength"/> bytes (the message, then zeros).</summary>
    protected virtual bool SendFrame(ReadOnlySpan<byte> message, int paddedLength) => SendPadded(message, paddedLength);

    /// <summary>
    /// Sends <paramref name="message"/> padded with zeros to <paramref name="length"/> through the queue.
    /// <paramref name="bounded"/> false for frames already admitted against the bound (a joined batch).
    /// </summary>
    internal virtual bool SendPadded(ReadOnlySpan<byte> message, int length, bool bounded = true) =>
        !IsClosed && Queue.Enqueue(message, length, bounded);

    public override void Close()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0) return;
        try
        {
            _closed.Cancel();
            Queue.Complete();
            try
            {
                _socket.Shutdown(SocketShutdown.Both);
            }
            catch (SocketException)
            {
                // Already reset by the peer.
            }
            catch (ObjectDisposedException)
            {
                // Already closed.
            }
            _stream.Dispose();
            _socket.Dispose();
        }
        finally
        {
            Volatile.Write(ref _state, 2);
        }
    }

    /// <summary>Serves the connection until it ends: reads on this model's I/O, writes on the write loop.</summary>
    public async Task RunAsync()
    {
        var writer = StreamWriteLoop.RunAsync(Queue, _stream, _coalesce, this, _closed.Token);
        try
        {
            await ReadAsync().ConfigureAwait(false);
        }
        finally
        {
            Close();
            await writer.ConfigureAwait(false);
            _handler.OnStreamClosed(this);
            Queue.Drain();
        }
    }

    /// <summary>Reads into <see cref="Frames"/> until the stream ends, fails, carries garbage, or the connection closes.</summary>
    protected abstract Task ReadAsync();

    public void Dispose()
    {
        Close();
        // Close may still be running on another thread (the idle sweep, the engine deleting the
        // allocation): its Cancel must not meet a disposed token source.
        var spin = new SpinWait();
        while (Volatile.Read(ref _state) != 2) spin.SpinOnce();
        if (Interlocked.Exchange(ref _disposed, 1) == 0) _closed.Dispose();
    }
}
