using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Turn.Protocol;
using Turn.Relay.Seams;

namespace Turn.Relay.Transports.Sockets;

/// <summary>
/// A TCP or TLS client on the portable path: an async read loop over its <see cref="Stream"/>
/// (a <see cref="NetworkStream"/>, or the <see cref="System.Net.Security.SslStream"/> over it), and
/// every send through the queue. TLS takes this path on every platform.
/// </summary>
internal sealed class SocketsStreamConnection(RelayTransport transport, Socket socket, Stream stream, TransportAddress remote,
    TransportAddress local, IClientMessageHandler handler, TimeProvider time, ILogger logger)
    : StreamClientConnection(transport, socket, stream, remote, local, handler, time, logger)
{
    protected override async Task ReadAsync()
    {
        try
        {
            var token = Closing;
            while (!token.IsCancellationRequested)
            {
                int read;
                try
                {
                    if (!Frames.HasBuffer)
                    {
                        // A zero-byte read waits for data without a buffer (SslStream then holds none either):
                        // an idle connection keeps no receive buffer. Its result says nothing; the read below
                        // returns 0 at the end of the stream.
                        await Stream.ReadAsync(Memory<byte>.Empty, token).ConfigureAwait(false);
                        Frames.RentBuffer();
                    }
                    read = await Stream.ReadAsync(Frames.FreeSpace, token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
                {
                    return;
                }
                if (read == 0 || !Frames.OnReceived(read)) return;
                Frames.ReturnBufferIfEmpty();
            }
        }
        finally
        {
            Frames.ReturnBuffer();
        }
    }
}
