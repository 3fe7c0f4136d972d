using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// One <see cref="SocketEventLoop"/> thread's recvmmsg batch: up to 16 datagrams per call into
/// buffers the thread owns, each laid out by <see cref="PeerDatagramLayout"/> (head- and tailroom,
/// so ChannelData and Data indication headers are written in place), with the senders' addresses
/// read from sockaddrs in native memory and, where the socket asked for IP_PKTINFO, each datagram's
/// destination address from its own control buffer (<see cref="LinuxPacketInfo"/>). Nothing is
/// allocated per call. Used by its loop thread only.
/// </summary>
internal sealed unsafe class DatagramBatchReader : IDisposable
{
    /// <summary>Datagrams per recvmmsg call.</summary>
    public const int BatchSize = 16;

    /// <summary>Not an errno: the socket was closed before the read.</summary>
    public const int ClosedError = -1;

    private const int MsgHdrSize = 64;   // struct mmsghdr on 64-bit Linux: msghdr (56) + msg_len, padded
    private const int IovecSize = 16;

    // Pinned (allocated on the pinned heap): its address never changes.
    private readonly byte[] _payloads = GC.AllocateUninitializedArray<byte>(BatchSize * PeerDatagramLayout.BufferSize, pinned: true);
    private readonly byte* _native;
    private readonly byte* _headers;
    private readonly byte* _addresses;
    private readonly byte* _controls;
    private bool _useRecvMsg;

    public DatagramBatchReader()
    {
        _native = (byte*)NativeMemory.AllocZeroed((nuint)(BatchSize * (MsgHdrSize + IovecSize + LinuxSocketAddress.Size + LinuxPacketInfo.Space)));
        _headers = _native;
        var vectors = _headers + BatchSize * MsgHdrSize;
        _addresses = vectors + BatchSize * IovecSize;
        _controls = _addresses + BatchSize * LinuxSocketAddress.Size;
        var payloadBase = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_payloads));
        for (var i = 0; i < BatchSize; i++)
        {
            var header = _headers + i * MsgHdrSize;
            var vector = vectors + i * IovecSize;
            *(byte**)vector = payloadBase + i * PeerDatagramLayout.BufferSize + PeerDatagramLayout.Headroom;
            *(nuint*)(vector + 8) = PeerDatagramLayout.MaxPayload;
            *(byte**)header = _addresses + i * LinuxSocketAddress.Size;  // msg_name
            *(byte**)(header + 16) = vector;                             // msg_iov
            *(nuint*)(header + 24) = 1;                                  // msg_iovlen
            *(byte**)(header + 32) = _controls + i * LinuxPacketInfo.Space;  // msg_control
        }
    }

    /// <summary>
    /// A kernel (or sandbox) without recvmmsg: one datagram per call (recvmsg) from now on. False when already so.
    /// </summary>
    public bool FallBackToRecvMsg()
    {
        if (_useRecvMsg) return false;
        _useRecvMsg = true;
        return true;
    }

    // The descriptor is referenced only for the call itself, never while handlers run: a handler
    // may close a socket (a failed send closes its connection, a Refresh of 0 closes a relay
    // socket), and Socket.Dispose waits until no reference is held, so a reference held across
    // the handler by this very thread would spin the loop forever.

    /// <summary>Datagrams read (up to <see cref="BatchSize"/>), or -1 with the errno (<see cref="ClosedError"/> for a closed socket).</summary>
    public int Receive(SafeSocketHandle handle, out int error)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            var received = _useRecvMsg ? ReceiveOne(fd) : ReceiveMany(fd);
            error = received < 0 ? Marshal.GetLastPInvokeError() : 0;
            return received;
        }
        catch (ObjectDisposedException)
        {
            error = ClosedError;
            return -1;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// The <paramref name="index"/>th datagram of the last batch, at <see cref="PeerDatagramLayout.Headroom"/>
    /// in <paramref name="buffer"/>; false when it was truncated (larger than a relay buffer) or its sender unreadable.
    /// <paramref name="to"/> is the address it was sent to (port 0) when the socket reports it, else default.
    /// </summary>
    public bool TryGet(int index, out Span<byte> buffer, out int length, out TransportAddress from, out TransportAddress to)
    {
        var header = _headers + index * MsgHdrSize;
        length = (int)*(uint*)(header + 56);                 // msg_len
        var flags = *(int*)(header + 48);                    // msg_hdr.msg_flags
        buffer = _payloads.AsSpan(index * PeerDatagramLayout.BufferSize, PeerDatagramLayout.BufferSize);
        if ((flags & LinuxSocketCalls.MsgTrunc) != 0)
        {
            from = to = default;
            return false;
        }
        var controlLength = *(nuint*)(header + 40);       // msg_controllen: what the kernel wrote
        if (controlLength == 0 || !LinuxPacketInfo.TryReadDestination(_controls + index * LinuxPacketInfo.Space, controlLength, out to)) to = default;
        return LinuxSocketAddress.TryRead(_addresses + index * LinuxSocketAddress.Size, *(uint*)(header + 8), out from);
    }

    private int ReceiveMany(int fd)
    {
        for (var i = 0; i < BatchSize; i++)
        {
            var header = _headers + i * MsgHdrSize;
            *(uint*)(header + 8) = LinuxSocketAddress.Size;   // msg_namelen: in/out
            *(nuint*)(header + 40) = LinuxPacketInfo.Space;  // msg_controllen: in/out
            *(int*)(header + 48) = 0;                        // msg_flags
        }
        return LinuxSocketCalls.RecvMmsg(fd, _headers, BatchSize, LinuxSocketCalls.MsgDontWait, null);
    }

    private int ReceiveOne(int fd)
    {
        *(uint*)(_headers + 8) = LinuxSocketAddress.Size;
        *(nuint*)(_headers + 40) = LinuxPacketInfo.Space;
        *(int*)(_headers + 48) = 0;
        // The kernel sets MSG_TRUNC in msg_flags when the datagram was larger than the buffer.
        var received = LinuxSocketCalls.RecvMsg(fd, _headers, LinuxSocketCalls.MsgDontWait);
        if (received < 0) return -1;
        *(uint*)(_headers + 56) = (uint)received;
        return 1;
    }

    public void Dispose() => NativeMemory.Free(_native);
}
