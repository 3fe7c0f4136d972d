using System.Runtime.InteropServices;
using System.Net.Sockets;

namespace Admin.E2E.Tests.Hostile;

/// <summary>
/// Up to <see cref="Capacity"/> datagrams sent on one connected UDP socket with one sendmmsg(2) call (Linux,
/// 64-bit): the flood sender's fast path, since one system call per datagram caps a thread far below what the
/// server must survive. Buffers and message headers are made once and pinned; a send allocates nothing.
/// </summary>
internal sealed class DatagramBatch : IDisposable
{
    // struct iovec { void *iov_base; size_t iov_len; }                           16 bytes
    private const int IovecSize = 16;

    // struct mmsghdr { struct msghdr msg_hdr (56 bytes); unsigned int msg_len; } 64 bytes with padding.
    // msghdr: msg_name 0, msg_namelen 8, msg_iov 16, msg_iovlen 24, msg_control 32, msg_controllen 40, msg_flags 48.
    private const int HeaderSize = 64;

    private readonly Socket _socket;
    private readonly byte[][] _buffers;
    private readonly GCHandle[] _pins;
    private readonly IntPtr _iovecs;
    private readonly IntPtr _headers;

    public DatagramBatch(Socket socket, int capacity, int maxLength)
    {
        _socket = socket;
        Capacity = capacity;
        _buffers = new byte[capacity][];
        _pins = new GCHandle[capacity];
        _iovecs = Marshal.AllocHGlobal(IovecSize * capacity);
        _headers = Marshal.AllocHGlobal(HeaderSize * capacity);
        for (var i = 0; i < HeaderSize * capacity; i++) Marshal.WriteByte(_headers, i, 0);
        for (var i = 0; i < capacity; i++)
        {
            _buffers[i] = new byte[maxLength];
            _pins[i] = GCHandle.Alloc(_buffers[i], GCHandleType.Pinned);
            Marshal.WriteIntPtr(_iovecs, i * IovecSize, _pins[i].AddrOfPinnedObject());
            Marshal.WriteInt64(_iovecs, (i * IovecSize) + 8, 0);
            Marshal.WriteIntPtr(_headers, (i * HeaderSize) + 16, _iovecs + (i * IovecSize));
            Marshal.WriteInt64(_headers, (i * HeaderSize) + 24, 1);
        }
    }

    public int Capacity { get; }

    /// <summary>True on Linux x86-64 and arm64, where the structure layouts above hold.</summary>
    public static bool IsSupported => OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    /// <summary>The buffer of datagram <paramref name="index"/>: fill it, then <see cref="SetLength"/>.</summary>
    public byte[] Buffer(int index) => _buffers[index];

    public void SetLength(int index, int length) => Marshal.WriteInt64(_iovecs, (index * IovecSize) + 8, length);

    /// <summary>Sends datagrams 0..count-1; returns how many the kernel took (0 on an error such as a full buffer).</summary>
    public int Send(int count)
    {
        var sent = SendMultiple((int)_socket.Handle, _headers, (uint)count, 0);
        return sent < 0 ? 0 : sent;
    }

    public void Dispose()
    {
        foreach (var pin in _pins) pin.Free();
        Marshal.FreeHGlobal(_iovecs);
        Marshal.FreeHGlobal(_headers);
    }

    [DllImport("libc", EntryPoint = "sendmmsg", SetLastError = true)]
    private static extern int SendMultiple(int socket, IntPtr messages, uint count, int flags);
}
