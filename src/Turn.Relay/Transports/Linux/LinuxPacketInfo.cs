using System.Buffers.Binary;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>
/// The IP_PKTINFO / IPV6_PKTINFO control message, read and written in place: on receive it names
/// the address a datagram was sent to (a wildcard socket serves every local address), on send it
/// names the address the reply leaves from, so a client hears back from the address it reached.
/// Layouts are Linux's: cmsghdr is {size_t len; int level; int type} (16 bytes on 64-bit), data
/// aligned to 8; in_pktinfo is {int ifindex; in_addr spec_dst; in_addr addr}; in6_pktinfo is
/// {in6_addr addr; int ifindex}.
/// </summary>
internal static unsafe class LinuxPacketInfo
{
    private const int HeaderSize = 16;
    private const int InPktInfoSize = 12;
    private const int In6PktInfoSize = 20;

    /// <summary>Room for one control message of either family (CMSG_SPACE of in6_pktinfo is 40), rounded up.</summary>
    public const int Space = 48;

    /// <summary>The local address a datagram reached, from <paramref name="control"/> (port 0); false when none is there.</summary>
    public static bool TryReadDestination(byte* control, nuint length, out TransportAddress destination)
    {
        destination = default;
        nuint offset = 0;
        while (offset + HeaderSize <= length)
        {
            var message = control + offset;
            var messageLength = *(nuint*)message;
            if (messageLength < HeaderSize || offset + messageLength > length) return false;
            var level = *(int*)(message + 8);
            var type = *(int*)(message + 12);
            var data = new ReadOnlySpan<byte>(message + HeaderSize, (int)(messageLength - HeaderSize));
            if (level == LinuxSocketCalls.IpProtoIp && type == LinuxSocketCalls.IpPktInfo && data.Length >= InPktInfoSize)
            {
                // ipi_spec_dst: the local address the datagram reached, and the source a reply should carry
                // (ipi_addr, the header's destination, would be the broadcast address for a broadcast).
                destination = TransportAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(data[4..]), 0);
                return true;
            }
            if (level == LinuxSocketCalls.IpProtoIPv6 && type == LinuxSocketCalls.IPv6PktInfo && data.Length >= In6PktInfoSize)
            {
                destination = TransportAddress.FromIPv6Bytes(data, 0);
                return true;
            }
            offset += (messageLength + 7) & ~(nuint)7;
        }
        return false;
    }

    /// <summary>
    /// Writes a control message that sends from <paramref name="source"/> (interface left to the
    /// routing table) into <paramref name="control"/> (<see cref="Space"/> bytes); returns its length.
    /// </summary>
    public static nuint WriteSource(byte* control, in TransportAddress source)
    {
        var span = new Span<byte>(control, Space);
        span.Clear();
        if (source.IsIPv4)
        {
            *(nuint*)control = HeaderSize + InPktInfoSize;
            *(int*)(control + 8) = LinuxSocketCalls.IpProtoIp;
            *(int*)(control + 12) = LinuxSocketCalls.IpPktInfo;
            // ipi_spec_dst is the source the kernel uses; ipi_ifindex 0 lets the route pick the interface.
            BinaryPrimitives.WriteUInt32BigEndian(span[(HeaderSize + 4)..], (uint)source.AddressLow);
            return HeaderSize + 16;  // CMSG_SPACE(12)
        }
        *(nuint*)control = HeaderSize + In6PktInfoSize;
        *(int*)(control + 8) = LinuxSocketCalls.IpProtoIPv6;
        *(int*)(control + 12) = LinuxSocketCalls.IPv6PktInfo;
        source.WriteAddressBytes(span[HeaderSize..]);
        return HeaderSize + 24;  // CMSG_SPACE(20)
    }
}
