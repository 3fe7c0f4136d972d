namespace Turn.Relay.Transports.Linux;

/// <summary>
/// Coalesces what one event-loop thread sends to one plain-TCP client while it handles one batch of
/// datagrams (<see cref="SocketEventLoop"/> opens and flushes it around each recvmmsg batch, through
/// <see cref="IReceiveBatchHook"/>: the loop itself knows nothing of TCP). A relay
/// socket's batch is up to 16 datagrams from peers of the same allocation, so they all go to the
/// same client: one send(2) and one TCP segment instead of sixteen, which is most of what a
/// saturated TCP relay spends (the kernel's per-send and per-segment work, and the client's wake-ups).
/// Frames are copied once into a per-thread buffer; latency grows by the time the batch takes to handle.
/// Everything here is thread-static: only the owning loop thread appends and flushes, so no locks.
/// </summary>
internal sealed class StreamSendBatch : IReceiveBatchHook
{
    /// <summary>The hook <see cref="LinuxTransport"/> gives its event loops (the state is per thread).</summary>
    public static readonly StreamSendBatch Hook = new();

    /// <summary>Bytes held before a flush: a few full recvmmsg batches of typical media packets.</summary>
    internal const int Capacity = 64 * 1024;

    [ThreadStatic] private static byte[]? t_buffer;
    [ThreadStatic] private static LinuxStreamConnection? t_target;
    [ThreadStatic] private static int t_length;
    [ThreadStatic] private static bool t_open;

    private StreamSendBatch()
    {
    }

    /// <summary>Starts collecting on this (event-loop) thread.</summary>
    public static void Open()
    {
        t_buffer ??= new byte[Capacity];
        t_open = true;
    }

    /// <summary>Sends what was collected and stops collecting.</summary>
    public static void Close()
    {
        t_open = false;
        Flush();
    }

    /// <summary>
    /// Takes <paramref name="message"/> (padded with zeros to <paramref name="paddedLength"/>) for
    /// <paramref name="connection"/> when a batch is open on this thread. False when none is open or the
    /// message is too large to hold: the caller sends it itself. <paramref name="accepted"/> is false when
    /// the connection's queue has no room for it (the same bound as a direct send).
    /// </summary>
    public static bool TryAppend(LinuxStreamConnection connection, ReadOnlySpan<byte> message, int paddedLength, out bool accepted)
    {
        accepted = false;
        if (!t_open) return false;
        if (paddedLength > Capacity)
        {
            // Sent directly by the caller: what is held for this connection goes first.
            if (ReferenceEquals(t_target, connection)) Flush();
            return false;
        }
        if (!ReferenceEquals(t_target, connection) || t_length + paddedLength > Capacity) Flush();
        if (!connection.HasRoomFor(t_length + paddedLength))
        {
            // Full: dropped like a direct send would be, in order with what is already held.
            return true;
        }
        var buffer = t_buffer!;
        message.CopyTo(buffer.AsSpan(t_length));
        buffer.AsSpan(t_length + message.Length, paddedLength - message.Length).Clear();
        t_length += paddedLength;
        t_target = connection;
        accepted = true;
        return true;
    }

    void IReceiveBatchHook.BatchStarting() => Open();

    void IReceiveBatchHook.BatchHandled() => Close();

    // Hands the held bytes to the connection's own send path (inline send, or its queue).
    private static void Flush()
    {
        var target = t_target;
        var length = t_length;
        t_target = null;
        t_length = 0;
        if (target is null || length == 0) return;
        // Admitted against the queue bound as they joined, so not refused now for sends from other threads
        // meanwhile. A failed send closes the connection; its frames were counted as relayed, as queued ones are.
        target.SendPadded(t_buffer.AsSpan(0, length), length, bounded: false);
    }
}
