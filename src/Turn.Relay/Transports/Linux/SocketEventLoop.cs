using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// One thread serving many sockets (Linux): epoll_wait for readable sockets, then for a UDP socket
/// recvmmsg drains it in batches into buffers the thread owns (<see cref="DatagramBatchReader"/>) and
/// the datagram's handler runs right there, sending with a non-blocking sendto, with an
/// <see cref="IReceiveBatchHook"/> around each batch; a TCP connection reads its own bytes
/// (non-blocking recv) and handles its frames. No thread-pool hop, no async state machine and no
/// allocation per packet; a socket gives up the thread after a few batches so one busy allocation
/// cannot starve the others (epoll is level-triggered: the rest comes next round).
/// </summary>
internal sealed unsafe partial class SocketEventLoop : IDisposable
{
    private const int MaxBatchesPerWakeup = 4;
    private const int MaxEvents = 128;
    private const ulong WakeToken = ulong.MaxValue;

    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    private static readonly int EventDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly ILogger _logger;
    private readonly IReceiveBatchHook? _batchHook;
    private readonly Thread _thread;
    private readonly Diagnostics.LogThrottle _handlerFailures = new();
    private readonly Lock _slotsLock = new();
    private readonly Stack<int> _freeSlots = new();
    private SocketEventRegistration?[] _slots = new SocketEventRegistration?[64];
    private int _slotCount;
    private volatile bool _stopping;
    private int _disposed;
    private bool _epollClosed; // under _slotsLock

    private SocketEventLoop(int epoll, int wake, int index, IReceiveBatchHook? batchHook, ILogger logger)
    {
        _epoll = epoll;
        _wake = wake;
        _batchHook = batchHook;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = $"turn-loop-{index}" };
    }

    /// <summary>
    /// A started loop; throws where epoll or eventfd are missing (the caller falls back).
    /// <paramref name="batchHook"/> runs around each batch of datagrams the loop hands out.
    /// </summary>
    public static SocketEventLoop Create(int index, IReceiveBatchHook? batchHook, ILogger logger)
    {
        var epoll = LinuxSocketCalls.EpollCreate1(LinuxSocketCalls.EpollCloexec);
        if (epoll < 0) throw new SocketException(Marshal.GetLastPInvokeError());
        var wake = LinuxSocketCalls.EventFd(0, LinuxSocketCalls.EfdCloexec | LinuxSocketCalls.EfdNonblock);
        if (wake < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            LinuxSocketCalls.Close(epoll);
            throw new SocketException(error);
        }
        var loop = new SocketEventLoop(epoll, wake, index, batchHook, logger);
        if (!loop.Control(LinuxSocketCalls.EpollCtlAdd, wake, WakeToken, out var ctlError))
        {
            LinuxSocketCalls.Close(wake);
            LinuxSocketCalls.Close(epoll);
            throw new SocketException(ctlError);
        }
        loop._thread.Start();
        return loop;
    }

    /// <summary>Starts serving <paramref name="socket"/>: its datagrams go to <paramref name="target"/> on this loop's thread.</summary>
    public SocketEventRegistration Register(Socket socket, IDatagramEventTarget target) => Register(socket, target, null);

    /// <summary>Starts telling <paramref name="target"/>, on this loop's thread, when <paramref name="socket"/> is readable.</summary>
    public SocketEventRegistration Register(Socket socket, IStreamEventTarget target) => Register(socket, null, target);

    private SocketEventRegistration Register(Socket socket, IDatagramEventTarget? datagrams, IStreamEventTarget? stream)
    {
        var handle = socket.SafeHandle;
        // Referenced while it is added: a socket closed meanwhile (its number possibly reused by
        // another socket) throws ObjectDisposedException instead of registering someone else's fd.
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Add(handle, datagrams, stream);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private SocketEventRegistration Add(SafeSocketHandle handle, IDatagramEventTarget? datagrams, IStreamEventTarget? stream)
    {
        lock (_slotsLock)
        {
            ObjectDisposedException.ThrowIf(_epollClosed, this);
            if (!_freeSlots.TryPop(out var slot))
            {
                slot = _slotCount++;
                if (slot == _slots.Length)
                {
                    // Grow by copying: the loop thread reads either array, both hold the same registrations.
                    var grown = new SocketEventRegistration?[_slots.Length * 2];
                    _slots.CopyTo(grown, 0);
                    Volatile.Write(ref _slots, grown);
                }
            }
            var registration = new SocketEventRegistration(this, slot, handle, datagrams, stream);
            _slots[slot] = registration;
            if (!Control(LinuxSocketCalls.EpollCtlAdd, (int)handle.DangerousGetHandle(), (ulong)slot, out var error))
            {
                _slots[slot] = null;
                _freeSlots.Push(slot);
                throw new SocketException(error);
            }
            return registration;
        }
    }

    internal void Unregister(SocketEventRegistration registration)
    {
        lock (_slotsLock)
        {
            // Before the socket closes: closing a registered descriptor would leave it to the kernel.
            // A wake-up already taken for this slot finds the registration removed, or a newer one
            // in the slot whose socket simply has nothing to read.
            var added = false;
            try
            {
                // A stopped loop has closed its epoll descriptor: nothing to remove, and its number may be reused.
                if (_epollClosed) return;
                registration.Handle.DangerousAddRef(ref added);
                Control(LinuxSocketCalls.EpollCtlDel, (int)registration.Handle.DangerousGetHandle(), 0, out _);
            }
            catch (ObjectDisposedException)
            {
                // Already closed: the kernel dropped it from the epoll set.
            }
            finally
            {
                if (added) registration.Handle.DangerousRelease();
            }
            if (ReferenceEquals(_slots[registration.Slot], registration))
            {
                _slots[registration.Slot] = null;
                _freeSlots.Push(registration.Slot);
            }
        }
    }

    private bool Control(int operation, int fd, ulong data, out int error)
    {
        var ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(uint*)ev = LinuxSocketCalls.EpollIn;
        *(ulong*)(ev + EventDataOffset) = data;
        if (LinuxSocketCalls.EpollCtl(_epoll, operation, fd, ev) == 0)
        {
            error = 0;
            return true;
        }
        error = Marshal.GetLastPInvokeError();
        return false;
    }

    private void Run()
    {
        try
        {
            Serve();
        }
        finally
        {
            CloseDescriptors();
        }
    }

    private void Serve()
    {
        using var datagrams = new DatagramBatchReader();
        var events = (byte*)NativeMemory.AllocZeroed((nuint)(MaxEvents * EventSize));
        try
        {
            while (!_stopping)
            {
                var ready = LinuxSocketCalls.EpollWait(_epoll, events, MaxEvents, -1);
                if (ready < 0)
                {
                    var error = Marshal.GetLastPInvokeError();
                    if (error == LinuxSocketCalls.EIntr) continue;
                    LogWaitFailed(_logger, _thread.Name!, error);
                    return;
                }
                var slots = Volatile.Read(ref _slots);
                for (var i = 0; i < ready; i++)
                {
                    var data = *(ulong*)(events + i * EventSize + EventDataOffset);
                    if (data == WakeToken || data >= (ulong)slots.Length) continue;
                    var registration = Volatile.Read(ref slots[(int)data]);
                    if (registration is null || registration.IsRemoved) continue;
                    if (registration.Stream is { } stream) Read(stream);
                    else Drain(registration, datagrams);
                }
            }
        }
        finally
        {
            NativeMemory.Free(events);
        }
    }

    private void Read(IStreamEventTarget stream)
    {
        try
        {
            stream.OnReadable();
        }
        catch (Exception ex)
        {
            ReportHandlerFailure(ex);
        }
    }

    private void Drain(SocketEventRegistration registration, DatagramBatchReader datagrams)
    {
        for (var round = 0; round < MaxBatchesPerWakeup; round++)
        {
            var received = datagrams.Receive(registration.Handle, out var error);
            if (received < 0)
            {
                if (error is LinuxSocketCalls.EAgain or DatagramBatchReader.ClosedError) return;
                // A kernel (or sandbox) without recvmmsg: one datagram per call from now on.
                if (error == LinuxSocketCalls.ENoSys && datagrams.FallBackToRecvMsg()) continue;
                // ICMP feedback from an earlier send (refused, unreachable) is reported once on
                // the next read and cleared: read on. Anything else ends this wake-up.
                if (error is 111 or 113 or 101 or 90 or LinuxSocketCalls.EIntr) continue;
                return;
            }
            // Whatever the hook holds back while the batch is handled (joined sends) goes out right after it.
            var hook = _batchHook;
            hook?.BatchStarting();
            try
            {
                Deliver(registration.Datagrams!, datagrams, received);
            }
            finally
            {
                if (hook is not null) Flush(hook);
            }
            if (received < DatagramBatchReader.BatchSize) return;
        }
    }

    private void Deliver(IDatagramEventTarget target, DatagramBatchReader datagrams, int received)
    {
        for (var i = 0; i < received; i++)
        {
            if (!datagrams.TryGet(i, out var buffer, out var length, out var from, out var to)) continue;
            try
            {
                target.OnDatagram(buffer, length, from, to);
            }
            catch (Exception ex)
            {
                // A bug in handling one datagram must not stop the loop for every other socket.
                ReportHandlerFailure(ex);
            }
        }
    }

    private void Flush(IReceiveBatchHook hook)
    {
        try
        {
            hook.BatchHandled();
        }
        catch (Exception ex)
        {
            // As for a handler: a failed flush must not end the loop thread (and the process).
            ReportHandlerFailure(ex);
        }
    }

    // At most one log line per 30 s: a failure that repeats with every packet must not make the loop
    // thread a logging thread (nor block it behind a full console queue).
    private void ReportHandlerFailure(Exception exception)
    {
        if (_handlerFailures.TryEnter(System.Diagnostics.Stopwatch.GetTimestamp(), 30 * System.Diagnostics.Stopwatch.Frequency, out var heldBack))
        {
            LogHandlerFailed(_logger, _thread.Name!, heldBack, exception);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stopping = true;
        lock (_slotsLock)
        {
            if (!_epollClosed)
            {
                ulong one = 1;
                LinuxSocketCalls.Write(_wake, (byte*)&one, sizeof(ulong));
            }
        }
        if (Thread.CurrentThread != _thread && !_thread.Join(TimeSpan.FromSeconds(2))) LogStopSlow(_logger, _thread.Name!);
    }

    // The loop thread closes its own descriptors as it ends: closed any earlier, their numbers could be
    // reused (by another relay in the process) while this thread still waits on them.
    private void CloseDescriptors()
    {
        lock (_slotsLock)
        {
            _epollClosed = true;
            LinuxSocketCalls.Close(_wake);
            LinuxSocketCalls.Close(_epoll);
        }
    }

    [LoggerMessage(EventId = 1141, Level = LogLevel.Error, Message = "Event loop {Loop} stopped: epoll_wait failed with errno {Error}")]
    private static partial void LogWaitFailed(ILogger logger, string loop, int error);

    [LoggerMessage(EventId = 1142, Level = LogLevel.Error, Message = "Handling a packet on event loop {Loop} failed ({HeldBack} more failures since the last report)")]
    private static partial void LogHandlerFailed(ILogger logger, string loop, long heldBack, Exception exception);

    [LoggerMessage(EventId = 1143, Level = LogLevel.Warning, Message = "Event loop {Loop} did not stop within 2 s")]
    private static partial void LogStopSlow(ILogger logger, string loop);
}
