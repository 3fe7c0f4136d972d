using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// sendto(2) with MSG_DONTWAIT straight from the calling thread: a full send buffer drops the
/// datagram (as UDP allows) instead of blocking a receive loop. A wildcard listener's replies go
/// with sendmsg(2) and an IP_PKTINFO control message instead, so they leave from the address the
/// client reached (<see cref="SendFrom"/>). Both build everything on the stack.
/// </summary>
internal static unsafe class LinuxDatagramSender
{
    public static bool SendTo(SafeSocketHandle handle, ReadOnlySpan<byte> datagram, in TransportAddress to)
    {
        var address = stackalloc byte[LinuxSocketAddress.Size];
        var addressLength = LinuxSocketAddress.Write(address, to);
        // The reference keeps the descriptor open (and its number ours) while the call runs.
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* data = datagram)
            {
                var sent = LinuxSocketCalls.SendTo((int)handle.DangerousGetHandle(), data, (nuint)datagram.Length,
                    LinuxSocketCalls.MsgDontWait | LinuxSocketCalls.MsgNoSignal, address, addressLength);
                return sent == datagram.Length;
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Sends from <paramref name="source"/> (a local address of the socket's family) to <paramref name="to"/>.</summary>
    public static bool SendFrom(SafeSocketHandle handle, ReadOnlySpan<byte> datagram, in TransportAddress to, in TransportAddress source)
    {
        var address = stackalloc byte[LinuxSocketAddress.Size];
        var addressLength = LinuxSocketAddress.Write(address, to);
        var control = stackalloc byte[LinuxPacketInfo.Space];
        var controlLength = LinuxPacketInfo.WriteSource(control, source);
        var vector = stackalloc byte[16];
        var header = stackalloc byte[56];
        new Span<byte>(header, 56).Clear();
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* data = datagram)
            {
                *(byte**)vector = data;
                *(nuint*)(vector + 8) = (nuint)datagram.Length;
                *(byte**)header = address;                 // msg_name
                *(uint*)(header + 8) = addressLength;      // msg_namelen
                *(byte**)(header + 16) = vector;           // msg_iov
                *(nuint*)(header + 24) = 1;                // msg_iovlen
                *(byte**)(header + 32) = control;          // msg_control
                *(nuint*)(header + 40) = controlLength;    // msg_controllen
                var sent = LinuxSocketCalls.SendMsg((int)handle.DangerousGetHandle(), header,
                    LinuxSocketCalls.MsgDontWait | LinuxSocketCalls.MsgNoSignal);
                return sent == datagram.Length;
            }
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }
}
