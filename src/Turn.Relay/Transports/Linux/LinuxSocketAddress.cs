using System.Buffers.Binary;
using Turn.Protocol;

namespace Turn.Relay.Transports.Linux;

/// <summary>Reads and writes Linux sockaddr_in / sockaddr_in6 in place, without allocating.</summary>
internal static unsafe class LinuxSocketAddress
{
    /// <summary>Room for a sockaddr_in6 (28 bytes), rounded up.</summary>
    public const int Size = 32;

    public static bool TryRead(byte* address, uint length, out TransportAddress result)
    {
        var span = new ReadOnlySpan<byte>(address, (int)Math.Min(length, Size));
        result = default;
        if (span.Length < 2) return false;
        var family = *(ushort*)address;
        if (family == LinuxSocketCalls.AfInet && span.Length >= 8)
        {
            result = TransportAddress.FromIPv4(BinaryPrimitives.ReadUInt32BigEndian(span[4..]), BinaryPrimitives.ReadUInt16BigEndian(span[2..]));
            return true;
        }
        if (family == LinuxSocketCalls.AfInet6 && span.Length >= 24)
        {
            result = TransportAddress.FromIPv6Bytes(span[8..], BinaryPrimitives.ReadUInt16BigEndian(span[2..]));
            return true;
        }
        return false;
    }

    /// <summary>Writes <paramref name="address"/> as a sockaddr of its family; returns its length.</summary>
    public static uint Write(byte* destination, in TransportAddress address)
    {
        var span = new Span<byte>(destination, Size);
        span.Clear();
        BinaryPrimitives.WriteUInt16BigEndian(span[2..], address.Port);
        if (address.IsIPv4)
        {
            *(ushort*)destination = LinuxSocketCalls.AfInet;
            BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)address.AddressLow);
            return 16;
        }
        *(ushort*)destination = LinuxSocketCalls.AfInet6;
        address.WriteAddressBytes(span[8..]);
        return 28;
    }
}
