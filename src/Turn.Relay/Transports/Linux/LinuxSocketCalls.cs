using System.Runtime.InteropServices;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The few Linux calls the UDP event loops need (epoll, eventfd, recvmmsg, recvmsg, recvfrom, sendto, sendmsg), as
/// blittable imports from libc: no marshalling, no allocation per call. Constants are Linux's
/// generic values (x86-64 and arm64, the two platforms <see cref="SocketTransportFactory"/> picks this path on).
/// </summary>
internal static unsafe partial class LinuxSocketCalls
{
    private const string Libc = "libc";

    /// <summary>
    /// True on Linux x86-64 and arm64 when libc answers (a harmless close(-1) probe); elsewhere the
    /// transports use their portable paths.
    /// </summary>
    public static readonly bool IsAvailable = Probe();

    public const int EpollCloexec = 0x80000;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlDel = 2;
    public const uint EpollIn = 0x001;
    public const int EfdCloexec = 0x80000;
    public const int EfdNonblock = 0x800;

    public const int MsgTrunc = 0x20;
    public const int MsgDontWait = 0x40;
    public const int MsgNoSignal = 0x4000;

    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int ENoSys = 38;

    public const ushort AfInet = 2;
    public const ushort AfInet6 = 10;

    // Ancillary data naming a datagram's destination (received) or source (sent) address.
    public const int IpProtoIp = 0;
    public const int IpPktInfo = 8;
    public const int IpProtoIPv6 = 41;
    public const int IPv6PktInfo = 50;

    [LibraryImport(Libc, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport(Libc, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, byte* ev);

    [LibraryImport(Libc, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, byte* events, int maxEvents, int timeout);

    [LibraryImport(Libc, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initval, int flags);

    [LibraryImport(Libc, EntryPoint = "recvmmsg", SetLastError = true)]
    public static partial int RecvMmsg(int fd, byte* msgvec, uint vlen, int flags, void* timeout);

    [LibraryImport(Libc, EntryPoint = "recvfrom", SetLastError = true)]
    public static partial nint RecvFrom(int fd, byte* buffer, nuint length, int flags, byte* address, uint* addressLength);

    [LibraryImport(Libc, EntryPoint = "recvmsg", SetLastError = true)]
    public static partial nint RecvMsg(int fd, byte* message, int flags);

    [LibraryImport(Libc, EntryPoint = "sendmsg", SetLastError = true)]
    public static partial nint SendMsg(int fd, byte* message, int flags);

    [LibraryImport(Libc, EntryPoint = "sendto", SetLastError = true)]
    public static partial nint SendTo(int fd, byte* buffer, nuint length, int flags, byte* address, uint addressLength);

    [LibraryImport(Libc, EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int fd, byte* buffer, nuint length, int flags);

    [LibraryImport(Libc, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport(Libc, EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)) return false;
        try
        {
            return Close(-1) == -1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
