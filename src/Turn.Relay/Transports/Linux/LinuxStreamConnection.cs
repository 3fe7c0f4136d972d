using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// A plain TCP client on the Linux path. Reads on a <see cref="SocketEventLoop"/> thread
/// (non-blocking recv, frames handled right there). Sends are joined per receive batch when the
/// caller is a loop thread handling one (<see cref="StreamSendBatch"/>), then tried inline: when
/// nothing is queued and nobody is writing, a non-blocking send(2) from the caller's thread, with no
/// copy, no queue and no thread hop; what the kernel does not take is handed to the write loop,
/// ahead of anything queued later. The inline send takes no lock (one compare-and-swap decides the
/// writer); a send that has to be queued takes the channel's brief internal lock (see <see cref="StreamSendQueue"/>).
/// </summary>
internal sealed class LinuxStreamConnection : StreamClientConnection, IStreamEventTarget
{
    // One read per wake-up, then the loop serves its other sockets (see ReadAvailable).
    private const int StreamReadChunk = 16 * 1024;

    [ThreadStatic] private static byte[]? t_padded;

    private readonly SafeSocketHandle _handle;
    private readonly SocketEventLoopGroup _loops;
    private TaskCompletionSource? _readEnded;
    private SocketEventRegistration? _registration;
    // Set on the loop thread when reading is over: later wake-ups (level-triggered, the socket stays
    // readable at EOF) return at once until the registration is gone.
    private volatile bool _readDone;
    // 1 while OnReadable runs on the loop thread, 2 once reading is over for good.
    private int _reading;

    public LinuxStreamConnection(Socket socket, Stream stream, TransportAddress remote, TransportAddress local,
        IClientMessageHandler handler, TimeProvider time, ILogger logger, SocketEventLoopGroup loops)
        : base(RelayTransport.Tcp, socket, stream, remote, local, handler, time, logger)
    {
        _handle = socket.SafeHandle;
        _loops = loops;
    }

    protected override bool SendFrame(ReadOnlySpan<byte> message, int paddedLength)
    {
        // On an event-loop thread handling a batch of datagrams: joined to the others for this client.
        if (StreamSendBatch.TryAppend(this, message, paddedLength, out var accepted)) return accepted;
        return SendPadded(message, paddedLength);
    }

    /// <summary>True when <paramref name="bytes"/> more would stay within the send queue's bound.</summary>
    internal bool HasRoomFor(int bytes) => Queue.HasRoomFor(bytes);

    /// <summary>Sends inline when it can, else queued.</summary>
    internal override bool SendPadded(ReadOnlySpan<byte> message, int length, bool bounded = true)
    {
        if (IsClosed) return false;
        if (Queue.TryEnterInlineWriter()) return SendInline(message, length);
        return base.SendPadded(message, length, bounded);
    }

    // Called as the socket's writer. Sends what the kernel takes now; the rest goes to the write loop.
    private bool SendInline(ReadOnlySpan<byte> message, int length)
    {
        if (length != message.Length)
        {
            var padded = t_padded ??= new byte[ChannelData.HeaderLength + ushort.MaxValue + 3];
            message.CopyTo(padded);
            padded.AsSpan(message.Length, length - message.Length).Clear();
            message = padded.AsSpan(0, length);
        }
        var sent = SendNonBlocking(message);
        if (sent == length)
        {
            Queue.ExitWriter();
            return true;
        }
        if (sent < 0)
        {
            Queue.ExitWriter();
            Close();
            return false;
        }
        // A full socket buffer: the tail waits for the write loop, ahead of everything queued after it.
        Queue.HandOverTail(message[sent..]);
        return true;
    }

    // Bytes the kernel took (0 when its buffer is full), or -1 when the connection failed.
    private unsafe int SendNonBlocking(ReadOnlySpan<byte> data)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            fixed (byte* pointer = data)
            {
                var sent = LinuxSocketCalls.Send((int)_handle.DangerousGetHandle(), pointer, (nuint)data.Length,
                    LinuxSocketCalls.MsgDontWait | LinuxSocketCalls.MsgNoSignal);
                if (sent >= 0) return (int)sent;
                var error = Marshal.GetLastPInvokeError();
                return error is LinuxSocketCalls.EAgain or LinuxSocketCalls.EIntr ? 0 : -1;
            }
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }

    // The loop calls OnReadable; this waits until reading ends.
    protected override async Task ReadAsync()
    {
        _readEnded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            // Close (from any thread) ends the read as well.
            using var closing = Closing.UnsafeRegister(static state => ((TaskCompletionSource)state!).TrySetResult(), _readEnded);
            Volatile.Write(ref _registration, _loops.Register(Socket, this));
            await _readEnded.Task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Could not register (the socket closed, or the relay is stopping): the connection ends.
        }
        finally
        {
            Volatile.Read(ref _registration)?.Dispose();
            // Wait out an OnReadable still running on the loop thread, then keep it out for good.
            var spin = new SpinWait();
            while (Interlocked.CompareExchange(ref _reading, 2, 0) == 1) spin.SpinOnce();
            Frames.ReturnBuffer();
        }
    }

    void IStreamEventTarget.OnReadable()
    {
        if (_readDone || Interlocked.CompareExchange(ref _reading, 1, 0) != 0) return;
        try
        {
            ReadAvailable();
        }
        finally
        {
            Volatile.Write(ref _reading, 0);
        }
    }

    private void ReadAvailable()
    {
        // One read of at most StreamReadChunk, then the loop serves its other sockets (level-
        // triggered: the rest comes next round). A saturating client thus cannot crowd out the
        // peers' datagrams coming back: work is dropped early (in its socket) rather than late.
        // The buffer is held only from a wake-up until its frames are handled (a partial frame keeps it): an idle
        // connection holds none, and the loop thread's pool slot makes the rent and return cheap.
        Frames.RentBuffer();
        while (!IsClosed)
        {
            var read = ReceiveNonBlocking(out var error);
            if (read < 0)
            {
                if (error == LinuxSocketCalls.EIntr) continue;
                if (error != LinuxSocketCalls.EAgain) EndReading();
                else Frames.ReturnBufferIfEmpty();
                return;
            }
            if (read == 0 || !Frames.OnReceived(read)) EndReading();
            else Frames.ReturnBufferIfEmpty();
            return;
        }
        EndReading();
    }

    // On the loop thread: leaves the loop at once (the socket may stay readable until the thread
    // pool gets to the rest of the close), then lets RunAsync finish the connection.
    private void EndReading()
    {
        _readDone = true;
        Volatile.Read(ref _registration)?.Dispose();
        _readEnded!.TrySetResult();
    }

    // Bytes read, 0 at the end of the stream, or -1 with the errno (a closed socket counts as an
    // error). The descriptor is referenced for the call only: the frames are handled after it is
    // released, because handling may close this connection (a failed send does), and
    // Socket.Dispose on this thread would wait forever for a reference this thread still held.
    private unsafe int ReceiveNonBlocking(out int error)
    {
        var added = false;
        try
        {
            _handle.DangerousAddRef(ref added);
            var free = Frames.FreeSpace.Span;
            nint read;
            fixed (byte* pointer = free)
            {
                read = LinuxSocketCalls.RecvFrom((int)_handle.DangerousGetHandle(), pointer, (nuint)Math.Min(free.Length, StreamReadChunk),
                    LinuxSocketCalls.MsgDontWait, null, null);
            }
            error = read < 0 ? Marshal.GetLastPInvokeError() : 0;
            return (int)read;
        }
        catch (ObjectDisposedException)
        {
            error = -1;
            return -1;
        }
        finally
        {
            if (added) _handle.DangerousRelease();
        }
    }
}
