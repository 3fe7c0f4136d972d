using System.Net.Sockets;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// sendto(2) with MSG_DONTWAIT straight from the calling thread: a full send buffer drops the
/// datagram (as UDP allows) instead of blocking a receive loop.
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
}
