using System.Buffers;
using System.Net.Sockets;

namespace Turn.Relay.Transports;

/// <summary>
/// Drains a <see cref="StreamSendQueue"/> into a stream client's <see cref="Stream"/>: a handed-over
/// inline tail first, then queued messages, coalesced into writes of up to 64 KB when
/// <c>coalesce</c> is set (plain TCP). A failed write closes the connection.
/// </summary>
internal static class StreamWriteLoop
{
    private const int WriteBatchSize = 64 * 1024;

    public static async Task RunAsync(StreamSendQueue queue, Stream stream, bool coalesce, ClientConnection connection, CancellationToken closed)
    {
        // Rented when there is something to write and given back while the queue is empty: an idle connection holds no batch.
        byte[]? batch = null;
        (byte[] Buffer, int Length) carried = default;
        try
        {
            while (true)
            {
                if (carried.Buffer is null)
                {
                    var wait = queue.WaitToReadAsync();
                    if (!wait.IsCompleted && batch is not null)
                    {
                        ArrayPool<byte>.Shared.Return(batch);
                        batch = null;
                    }
                    if (!await wait.ConfigureAwait(false)) break;
                }
                batch ??= ArrayPool<byte>.Shared.Rent(WriteBatchSize);
                queue.EnterWriter();
                try
                {
                    if (queue.TryTakeTail(out var tail, out var tailLength))
                    {
                        var written = await WriteAsync(stream, tail.AsMemory(0, tailLength), connection, closed).ConfigureAwait(false);
                        ArrayPool<byte>.Shared.Return(tail);
                        if (!written) return;
                    }
                    var length = 0;
                    while (length < WriteBatchSize)
                    {
                        var item = carried;
                        carried = default;
                        if (item.Buffer is null && !queue.TryRead(out item)) break;
                        if (length > 0 && (length + item.Length > WriteBatchSize || !coalesce))
                        {
                            carried = item; // goes first in the next write
                            break;
                        }
                        queue.Release(item.Length);
                        if (item.Length > WriteBatchSize)
                        {
                            // A large STUN message: written on its own.
                            var ok = await WriteAsync(stream, item.Buffer.AsMemory(0, item.Length), connection, closed).ConfigureAwait(false);
                            ArrayPool<byte>.Shared.Return(item.Buffer);
                            if (!ok) return;
                            break;
                        }
                        item.Buffer.AsSpan(0, item.Length).CopyTo(batch.AsSpan(length));
                        length += item.Length;
                        ArrayPool<byte>.Shared.Return(item.Buffer);
                    }
                    if (length > 0 && !await WriteAsync(stream, batch.AsMemory(0, length), connection, closed).ConfigureAwait(false)) return;
                }
                finally
                {
                    queue.ExitWriter();
                }
            }
        }
        finally
        {
            StreamSendQueue.Return(carried.Buffer);
            if (batch is not null) ArrayPool<byte>.Shared.Return(batch);
        }
    }

    private static async ValueTask<bool> WriteAsync(Stream stream, ReadOnlyMemory<byte> data, ClientConnection connection, CancellationToken closed)
    {
        try
        {
            await stream.WriteAsync(data, closed).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            connection.Close();
            return false;
        }
    }
}
